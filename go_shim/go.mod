module usegolib.local/shim

go 1.22
