//! Cells: the value a workbook reader gives for a cell, and A1 names of cells and columns.

/// A cell's value as a reader gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellValue<'a> {
    /// Text.
    Text(&'a str),
    /// A whole number stored as one.
    Int(i64),
    /// Any other number.
    Float(f64),
}

/// The A1 reference of a zero-based `(row, column)`: `(6, 2)` → `C7`.
pub fn a1(position: (u32, u32)) -> String {
    a1_of_row(u64::from(position.0) + 1, position.1)
}

/// The A1 reference of 1-based `row` (a CSV file's may pass 2³²) and 0-based `column`.
pub fn a1_of_row(row: u64, column: u32) -> String {
    // Built by hand: this runs for every cell, and `format!` was 5 % of a workbook's scan.
    let mut cell = String::with_capacity(16);
    push_column_name(&mut cell, column);
    let mut digits = [0u8; 20];
    let mut row = row;
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (row % 10) as u8;
        row /= 10;
        if row == 0 {
            break;
        }
    }
    cell.extend(digits[start..].iter().map(|&d| char::from(d)));
    cell
}

/// The letters of 0-based column `col` (`A`, `Z`, `AA`).
pub fn column_name(col: u32) -> String {
    let mut letters = String::new();
    push_column_name(&mut letters, col);
    letters
}

/// Appends the letters of 0-based column `col`.
fn push_column_name(out: &mut String, mut col: u32) {
    let mut letters = [0u8; 7];
    let mut start = letters.len();
    loop {
        start -= 1;
        letters[start] = b'A' + (col % 26) as u8;
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.extend(letters[start..].iter().map(|&l| char::from(l)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_references() {
        assert_eq!(a1((0, 0)), "A1");
        assert_eq!(a1((6, 2)), "C7");
        assert_eq!(a1((0, 25)), "Z1");
        assert_eq!(a1((0, 26)), "AA1");
        assert_eq!(a1((9, 701)), "ZZ10");
        assert_eq!(a1((0, 702)), "AAA1");
        assert_eq!(a1((1_048_575, 16_383)), "XFD1048576");
        assert_eq!(a1((u32::MAX, u32::MAX)), "MWLQKWV4294967296");
        assert_eq!(a1_of_row(u64::MAX, 0), "A18446744073709551615");
    }
}
