module example.com/benchraw

go 1.22
