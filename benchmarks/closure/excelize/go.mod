module closurebench

go 1.23

require github.com/xuri/excelize/v2 v2.11.1
