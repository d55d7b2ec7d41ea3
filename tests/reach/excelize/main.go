// Expected values for tests/test_reach.py: github.com/xuri/excelize/v2, a
// large module: a workbook made, written to a stream and to a file, and
// read back.
package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"
)

func workbook() *excelize.File {
	f := excelize.NewFile()
	_ = f.SetCellValue("Sheet1", "A1", "hello")
	_ = f.SetCellValue("Sheet1", "B2", 42)
	_ = f.SetCellFormula("Sheet1", "C3", "B2*2")
	return f
}

func main() {
	f := workbook()
	a1, _ := f.GetCellValue("Sheet1", "A1")
	b2, _ := f.GetCellValue("Sheet1", "B2")
	formula, _ := f.GetCellFormula("Sheet1", "C3")
	index, _ := f.NewSheet("Data")

	var buf bytes.Buffer
	_ = workbook().Write(&buf)
	back, _ := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	backA1, _ := back.GetCellValue("Sheet1", "A1")
	backB2, _ := back.GetCellValue("Sheet1", "B2")

	dir, _ := os.MkdirTemp("", "excelize")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "book.xlsx")
	_ = workbook().SaveAs(path)
	opened, _ := excelize.OpenFile(path)
	rows, _ := opened.GetRows("Sheet1")

	cell, _ := excelize.CoordinatesToCellName(3, 7)
	col, row, _ := excelize.CellNameToCoordinates("AB12")
	name, _ := excelize.ColumnNumberToName(28)
	_, _, badCell := excelize.CellNameToCoordinates("1A")
	cases := map[string]any{
		"a1":          a1,
		"b2":          b2,
		"formula":     formula,
		"new_sheet":   index,
		"sheets":      f.GetSheetList(),
		"stream":      []string{backA1, backB2},
		"path_rows":   rows,
		"cell_name":   cell,
		"coordinates": []int{col, row},
		"column_name": name,
		"bad_cell":    badCell.Error(),
	}
	_ = json.NewEncoder(os.Stdout).Encode(cases)
}
