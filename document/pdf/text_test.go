package pdf

import "testing"

func TestEncode(t *testing.T) {
	e := renderer(t).enc
	tests := []struct {
		name, in, want string
	}{
		{"ascii passes through", `AS "Bite" & <Kods> = 1`, `AS "Bite" & <Kods> = 1`},
		{"latvian letters", "āčēģīķļņšūž ĀČĒĢĪĶĻŅŠŪŽ", "āčēģīķļņšūž ĀČĒĢĪĶĻŅŠŪŽ"},
		{"lithuanian, estonian, polish, german", "ąęėįųõöäüßłńśźż", "ąęėįųõöäüßłńśźż"},
		{"typography in the code page", "„Citāts“ – € … ‘x’ «y»", "„Citāts“ – € … ‘x’ «y»"},
		{"accents outside the code page lose the accent", "Crème brûlée, Dvořák, Ñandú", "Creme brulée, Dvorak, Nandu"},
		{"russian in the Latvian way", "Щукин Жанна Чайка Юрий", "Ščukin Žanna Čajka Jurij"},
		{"ukrainian", "Їжак Ґанок", "Jižak Ganok"},
		{"letters without decomposition", "Œ œ đ ħ ı", "OE oe d h i"},
		{"compatibility forms", "ﬁ Ａ ²", "fi A ²"},
		{"punctuation", "a−b ‐ №5", "a-b - Nr.5"},
		{"no glyph at all", "東京 😀 ☃", "?? ? ?"},
		{"controls and line breaks", "a\tb\nc\r\x00d\u200be\u202ef\u202fg", "a b c def g"},
		{"invalid UTF-8", "a\xffb", "a?b"},
		{"soft hyphen prints nothing", "ab\u00adc", "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := decode(e.encode(tt.in)); got != tt.want {
				t.Errorf("encode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestEncodeBytes checks that every byte the encoder writes is one the fonts can draw and
// that Latvian letters get their Windows-1257 codes.
func TestEncodeBytes(t *testing.T) {
	e := renderer(t).enc
	if got := e.encode("āĀšŠ"); got != "\xe2\xc2\xf0\xd0" {
		t.Errorf("encode = %x, want e2c2f0d0", got)
	}
	for r := rune(0); r < 0x3000; r++ {
		for _, c := range []byte(e.encode(string(r))) {
			if c < 0x20 || (c >= 0x80 && cp1257[c-0x80].r == 0) {
				t.Fatalf("encode(%U) wrote byte %#x, which has no glyph", r, c)
			}
		}
	}
}

func TestNumbers(t *testing.T) {
	lvl, enl := localeOf("lv"), localeOf("en")
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"lv money", lvl.money(dec("1234.5")), "1 234,50"},
		{"lv negative money", lvl.money(dec("-1234567.891")), "-1 234 567,89"},
		{"en money", enl.money(dec("1234.5")), "1,234.50"},
		{"small money", lvl.money(dec("0.5")), "0,50"},
		{"lv quantity", lvl.fixed(dec("-12.3456"), 3), "-12,346"},
		{"price keeps its decimals", lvl.trimmed(dec("0.151234"), 2, 6), "0,151234"},
		{"price at least two decimals", lvl.trimmed(dec("12.5"), 2, 6), "12,50"},
		{"reading without decimals", lvl.trimmed(dec("10500"), 0, 3), "10 500"},
		{"reading with decimals", enl.trimmed(dec("1301.25"), 0, 3), "1,301.25"},
		{"rate", lvl.rate(dec("21")), "21%"},
		{"reduced rate", enl.rate(dec("5.5")), "5.5%"},
		{"other category", lvl.vatCategory("Z", dec("0")), "0% (Z)"},
		{"lv date", lvl.date(day("2026-11-27")), "27.11.2026"},
		{"en date", enl.date(day("2026-11-27")), "27 Nov 2026"},
		{"lv sub-period", lvl.shortPeriod(period("2026-11-01", "2026-11-15")), "01.11.–15.11."},
		{"en sub-period", enl.shortPeriod(period("2026-11-16", "2026-11-30")), "16–30 Nov"},
		{"en sub-period over months", enl.shortPeriod(period("2026-10-20", "2026-11-05")), "20 Oct – 5 Nov"},
		{"iban in fours", iban("LV80BANK0000435195001"), "LV80 BANK 0000 4351 9500 1"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
