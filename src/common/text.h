/* Small character helpers shared by the text readers (assembly, .data tests, hex). Internal header. */
#ifndef BPFCHECK_TEXT_H
#define BPFCHECK_TEXT_H

/* The value of a hexadecimal digit (0-9, a-f, A-F), or -1 for any other character. */
int bpfc_hex_digit(int c);

#endif
