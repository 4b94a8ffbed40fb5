package pdf

// QRModules returns the QR code of data (byte mode, error correction level M, up to 331
// bytes) as its dark modules, row by row, without the quiet zone. The invoices' payment code
// uses the same encoder; the portal draws the 2FA set-up code from it as SVG.
func QRModules(data string) ([][]bool, error) { return qrEncode([]byte(data)) }
