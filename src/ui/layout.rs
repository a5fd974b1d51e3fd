//! Where things go on the screen. The app asks here how many rows and columns its windows
//! have, so what it fetches from the store is exactly what the screens draw.

/// Below this size the app shows a message instead of screens.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;

/// Screen rows around a table that are not rows: tabs, block borders, header, status line.
const LIST_CHROME: u16 = 5;
/// The matrix also has a totals row, a line for the cursor row's totals and a legend line.
const MATRIX_CHROME: u16 = 8;
/// Width of the matrix's method column, of its in-use column, and of each unit column (with
/// its gap).
pub const MATRIX_LABEL_WIDTH: u16 = 24;
pub const MATRIX_TOTAL_WIDTH: u16 = 7;
pub const MATRIX_CELL_WIDTH: u16 = 5;

/// Whether a terminal of `size` (columns, rows) is too small for the screens.
pub fn too_small((width, height): (u16, u16)) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

/// Rows of a table (Methods, Units, Activity) on a terminal of `size`.
pub fn list_rows((_, height): (u16, u16)) -> usize {
    height.saturating_sub(LIST_CHROME).max(1) as usize
}

/// Method rows and unit columns of the matrix on a terminal of `size`.
pub fn matrix_window((width, height): (u16, u16)) -> (usize, usize) {
    let rows = height.saturating_sub(MATRIX_CHROME).max(1) as usize;
    let cols = (width.saturating_sub(2 + MATRIX_LABEL_WIDTH + MATRIX_TOTAL_WIDTH)
        / MATRIX_CELL_WIDTH)
        .max(1) as usize;
    (rows, cols)
}
