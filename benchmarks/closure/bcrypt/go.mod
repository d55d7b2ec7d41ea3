module closurebench

go 1.23

require golang.org/x/crypto v0.59.0
