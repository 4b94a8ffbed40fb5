package pdf

// cp1257 lists the upper half of Windows-1257 (Baltic), byte 0x80+i, with the Adobe Glyph
// List name that the PDF /Differences array gives it. A zero rune marks a byte the code page
// leaves undefined. Viewers and pdftotext turn the glyph names back into Unicode, which is
// what makes the text extract correctly.
var cp1257 = [128]struct {
	r    rune
	name string
}{
	{0x20AC, "Euro"}, {}, {0x201A, "quotesinglbase"}, {}, {0x201E, "quotedblbase"}, {0x2026, "ellipsis"}, {0x2020, "dagger"}, {0x2021, "daggerdbl"},
	{}, {0x2030, "perthousand"}, {}, {0x2039, "guilsinglleft"}, {}, {0x00A8, "dieresis"}, {0x02C7, "caron"}, {0x00B8, "cedilla"},
	{}, {0x2018, "quoteleft"}, {0x2019, "quoteright"}, {0x201C, "quotedblleft"}, {0x201D, "quotedblright"}, {0x2022, "bullet"}, {0x2013, "endash"}, {0x2014, "emdash"},
	{}, {0x2122, "trademark"}, {}, {0x203A, "guilsinglright"}, {}, {0x00AF, "macron"}, {0x02DB, "ogonek"}, {},
	{0x00A0, "space"}, {}, {0x00A2, "cent"}, {0x00A3, "sterling"}, {0x00A4, "currency"}, {}, {0x00A6, "brokenbar"}, {0x00A7, "section"},
	{0x00D8, "Oslash"}, {0x00A9, "copyright"}, {0x0156, "Rcommaaccent"}, {0x00AB, "guillemotleft"}, {0x00AC, "logicalnot"}, {0x00AD, "hyphen"}, {0x00AE, "registered"}, {0x00C6, "AE"},
	{0x00B0, "degree"}, {0x00B1, "plusminus"}, {0x00B2, "twosuperior"}, {0x00B3, "threesuperior"}, {0x00B4, "acute"}, {0x00B5, "mu"}, {0x00B6, "paragraph"}, {0x00B7, "periodcentered"},
	{0x00F8, "oslash"}, {0x00B9, "onesuperior"}, {0x0157, "rcommaaccent"}, {0x00BB, "guillemotright"}, {0x00BC, "onequarter"}, {0x00BD, "onehalf"}, {0x00BE, "threequarters"}, {0x00E6, "ae"},
	{0x0104, "Aogonek"}, {0x012E, "Iogonek"}, {0x0100, "Amacron"}, {0x0106, "Cacute"}, {0x00C4, "Adieresis"}, {0x00C5, "Aring"}, {0x0118, "Eogonek"}, {0x0112, "Emacron"},
	{0x010C, "Ccaron"}, {0x00C9, "Eacute"}, {0x0179, "Zacute"}, {0x0116, "Edotaccent"}, {0x0122, "Gcommaaccent"}, {0x0136, "Kcommaaccent"}, {0x012A, "Imacron"}, {0x013B, "Lcommaaccent"},
	{0x0160, "Scaron"}, {0x0143, "Nacute"}, {0x0145, "Ncommaaccent"}, {0x00D3, "Oacute"}, {0x014C, "Omacron"}, {0x00D5, "Otilde"}, {0x00D6, "Odieresis"}, {0x00D7, "multiply"},
	{0x0172, "Uogonek"}, {0x0141, "Lslash"}, {0x015A, "Sacute"}, {0x016A, "Umacron"}, {0x00DC, "Udieresis"}, {0x017B, "Zdotaccent"}, {0x017D, "Zcaron"}, {0x00DF, "germandbls"},
	{0x0105, "aogonek"}, {0x012F, "iogonek"}, {0x0101, "amacron"}, {0x0107, "cacute"}, {0x00E4, "adieresis"}, {0x00E5, "aring"}, {0x0119, "eogonek"}, {0x0113, "emacron"},
	{0x010D, "ccaron"}, {0x00E9, "eacute"}, {0x017A, "zacute"}, {0x0117, "edotaccent"}, {0x0123, "gcommaaccent"}, {0x0137, "kcommaaccent"}, {0x012B, "imacron"}, {0x013C, "lcommaaccent"},
	{0x0161, "scaron"}, {0x0144, "nacute"}, {0x0146, "ncommaaccent"}, {0x00F3, "oacute"}, {0x014D, "omacron"}, {0x00F5, "otilde"}, {0x00F6, "odieresis"}, {0x00F7, "divide"},
	{0x0173, "uogonek"}, {0x0142, "lslash"}, {0x015B, "sacute"}, {0x016B, "umacron"}, {0x00FC, "udieresis"}, {0x017C, "zdotaccent"}, {0x017E, "zcaron"}, {0x02D9, "dotaccent"},
}
