module example.com/benchmod1000

go 1.22
