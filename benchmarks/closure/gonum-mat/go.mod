module closurebench

go 1.23

require gonum.org/v1/gonum v0.17.0
