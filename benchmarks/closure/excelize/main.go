// Command excelize exports the sheet count of a new workbook to C, written
// by hand.
package main

import "C"

import "github.com/xuri/excelize/v2"

//export NewSheetCount
func NewSheetCount() C.int {
	book := excelize.NewFile()
	defer book.Close()
	return C.int(book.SheetCount)
}

func main() {}
