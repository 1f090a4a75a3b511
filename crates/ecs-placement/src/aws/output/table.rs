//! `--output table`: the AWS CLI v1's `TableFormatter` (`awscli/formatter.py`) and `MultiTable`
//! (`awscli/table.py`), ported rule for rule, uncoloured (as when the output is not a
//! terminal) and at a fixed width of 80 columns (what the AWS CLI uses when it cannot read a
//! terminal's width, e.g. in a pipe).
//!
//! The title is the operation's name; a dict becomes a section of its scalar values (a
//! single-row section is turned on its side when the table is wider than the terminal);
//! nested values become indented sections under their key.

use super::python::{str_of, type_name as python_type};
use super::width::text_width;
use serde_json::{Map, Value};

/// The width the table is fitted to.
pub const TERMINAL_WIDTH: usize = 80;

/// The table the AWS CLI prints for `value` (empty when the value is empty or false, as the
/// AWS CLI prints nothing then). Fails, as the AWS CLI does, on shapes its table cannot hold
/// (rows of different lengths, a list mixing dicts with other values).
pub fn format(title: &str, value: &Value) -> Result<String, String> {
    let mut table = MultiTable::default();
    if !table.build(Some(title), value, 0)? {
        return Ok(String::new());
    }
    Ok(table.render())
}

/// Python's truth value of a JSON value.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

#[derive(Default)]
struct Section {
    /// `None` where Python's title is `None` (it is measured as the text `None`).
    title: Option<String>,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent_level: usize,
    num_cols: Option<usize>,
    max_widths: Vec<usize>,
}

impl Section {
    fn new(title: Option<&str>, indent_level: usize) -> Section {
        Section {
            title: title.map(str::to_string),
            indent_level,
            ..Section::default()
        }
    }

    fn add_header(&mut self, headers: Vec<String>) -> Result<(), String> {
        self.update_max_widths(&headers)?;
        if self.num_cols.is_none() {
            self.num_cols = Some(headers.len());
        }
        self.headers = headers;
        Ok(())
    }

    fn add_row(&mut self, row: Vec<String>) -> Result<(), String> {
        let expected = *self.num_cols.get_or_insert(row.len());
        if row.len() != expected {
            return Err(format!(
                "Row should have {expected} elements, instead it has {}",
                row.len()
            ));
        }
        self.update_max_widths(&row)?;
        self.rows.push(row);
        Ok(())
    }

    fn update_max_widths(&mut self, row: &[String]) -> Result<(), String> {
        if self.max_widths.is_empty() {
            self.max_widths = row.iter().map(|e| text_width(e)).collect();
            return Ok(());
        }
        for (i, element) in row.iter().enumerate() {
            let slot = self
                .max_widths
                .get_mut(i)
                .ok_or_else(|| "list index out of range".to_string())?;
            *slot = (*slot).max(text_width(element));
        }
        Ok(())
    }

    /// Column widths with `padding` added, scaled to sum to `max_width` (`calculate_column_widths`).
    fn column_widths(&self, padding: usize, max_width: Option<usize>) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|w| w + padding).collect();
        let Some(max_width) = max_width else {
            return unscaled;
        };
        if unscaled.is_empty() {
            return unscaled;
        }
        let total: usize = unscaled.iter().sum();
        let scale = max_width as f64 / total as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|w| (scale * *w as f64).round_ties_even() as i64)
            .collect();
        let mut off_by: i64 = scaled.iter().sum::<i64>() - max_width as i64;
        while off_by != 0 {
            let order: Vec<usize> = if off_by < 0 {
                (0..scaled.len()).rev().collect()
            } else {
                (0..scaled.len()).collect()
            };
            for i in order {
                if let Some(width) = scaled.get_mut(i) {
                    if off_by > 0 {
                        *width -= 1;
                        off_by -= 1;
                    } else {
                        *width += 1;
                        off_by += 1;
                    }
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }

    fn total_width(&self, padding: usize, outer_padding: usize) -> usize {
        let border_padding = 2;
        let columns: usize = self.column_widths(0, None).iter().map(|w| w + padding).sum();
        let total = columns + border_padding + 2 * outer_padding;
        (text_width(self.title.as_deref().unwrap_or("None")) + border_padding + 2 * outer_padding).max(total)
    }
}

#[derive(Default)]
struct MultiTable {
    sections: Vec<Section>,
}

impl MultiTable {
    fn current(&mut self) -> Result<&mut Section, String> {
        self.sections
            .last_mut()
            .ok_or_else(|| "'NoneType' object has no attribute 'add_row'".to_string())
    }

    fn new_section(&mut self, title: Option<&str>, indent_level: usize) {
        self.sections.push(Section::new(title, indent_level));
    }

    /// `_build_table`: false when there is nothing to print.
    fn build(&mut self, title: Option<&str>, current: &Value, indent_level: usize) -> Result<bool, String> {
        if !truthy(current) {
            return Ok(false);
        }
        if title.is_some() {
            self.new_section(title, indent_level);
        }
        match current {
            Value::Array(items) => self.build_list(items, indent_level, title)?,
            Value::Object(map) => self.sub_table_from_dict(map, indent_level)?,
            _ => {}
        }
        Ok(true)
    }

    fn build_list(&mut self, items: &[Value], indent_level: usize, title: Option<&str>) -> Result<(), String> {
        if items.first().is_some_and(Value::is_object) {
            return self.sub_table_from_list(items, indent_level, title);
        }
        for item in items {
            match item {
                scalar if is_scalar(scalar) => self.current()?.add_row(vec![str_of(scalar)])?,
                Value::Object(map) => self.current()?.add_row(map.keys().cloned().collect())?,
                Value::Array(elements) if elements.iter().all(is_scalar) => {
                    self.current()?.add_row(elements.iter().map(str_of).collect())?;
                }
                nested => {
                    self.build(None, nested, 0)?;
                }
            }
        }
        Ok(())
    }

    fn sub_table_from_dict(&mut self, map: &Map<String, Value>, indent_level: usize) -> Result<(), String> {
        let (headers, more) = group_scalar_keys(map);
        match headers.as_slice() {
            [only] => {
                let value = map.get(only).map(str_of).unwrap_or_default();
                self.current()?.add_row(vec![only.clone(), value])?;
            }
            [] => {}
            _ => {
                let row = headers
                    .iter()
                    .map(|h| map.get(h).map(str_of).unwrap_or_default())
                    .collect();
                let section = self.current()?;
                section.add_header(headers)?;
                section.add_row(row)?;
            }
        }
        for key in more {
            if let Some(value) = map.get(&key) {
                self.build(Some(key.as_str()), value, indent_level + 1)?;
            }
        }
        Ok(())
    }

    fn sub_table_from_list(&mut self, items: &[Value], indent_level: usize, title: Option<&str>) -> Result<(), String> {
        let mut headers: Vec<String> = Vec::new();
        let mut more: Vec<String> = Vec::new();
        for item in items {
            let (h, m) = group_scalar_keys_of(item)?;
            headers.extend(h);
            more.extend(m);
        }
        crate::order::sort_stable_by(&mut headers, |a, b| a.cmp(b));
        headers.dedup();
        crate::order::sort_stable_by(&mut more, |a, b| a.cmp(b));
        more.dedup();
        self.current()?.add_header(headers.clone())?;
        for (index, element) in items.iter().enumerate() {
            let Value::Object(map) = element else {
                return Err(format!("'{}' object has no attribute 'get'", python_type(element)));
            };
            if index > 0 && !more.is_empty() {
                self.new_section(title, indent_level);
                self.current()?.add_header(headers.clone())?;
            }
            let row = headers
                .iter()
                .map(|h| map.get(h).map(str_of).unwrap_or_default())
                .collect();
            self.current()?.add_row(row)?;
            for key in &more {
                if let Some(value) = map.get(key) {
                    self.build(Some(key), value, indent_level + 1)?;
                }
            }
        }
        Ok(())
    }

    fn render(mut self) -> String {
        let mut max_width = self.max_width();
        if max_width > TERMINAL_WIDTH {
            self.convert_to_vertical();
            max_width = self.max_width();
        }
        let mut out = "-".repeat(max_width);
        out.push('\n');
        for section in &self.sections {
            render_section(section, max_width, &mut out);
        }
        out
    }

    fn max_width(&self) -> usize {
        self.sections
            .iter()
            .map(|s| s.total_width(4, s.indent_level))
            .max()
            .unwrap_or(0)
    }

    /// `convert_to_vertical_table`: single-row sections with headers become `header | value` rows.
    fn convert_to_vertical(&mut self) {
        for section in &mut self.sections {
            if let ([row], false) = (section.rows.as_slice(), section.headers.is_empty()) {
                let mut vertical = Section::new(section.title.as_deref(), section.indent_level);
                for (header, element) in section.headers.iter().zip(row) {
                    // Two columns every time: this cannot fail.
                    let _ = vertical.add_row(vec![header.clone(), element.clone()]);
                }
                *section = vertical;
            }
        }
    }
}

/// A dict's keys with scalar values and the others, each sorted (`_group_scalar_keys`).
fn group_scalar_keys(map: &Map<String, Value>) -> (Vec<String>, Vec<String>) {
    let (mut headers, mut more): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for (key, value) in map {
        if is_scalar(value) {
            headers.push(key.clone());
        } else {
            more.push(key.clone());
        }
    }
    crate::order::sort_stable_by(&mut headers, |a, b| a.cmp(b));
    crate::order::sort_stable_by(&mut more, |a, b| a.cmp(b));
    (headers, more)
}

/// [`group_scalar_keys`] of a list element, failing with Python's words when it is no dict.
fn group_scalar_keys_of(value: &Value) -> Result<(Vec<String>, Vec<String>), String> {
    match value {
        Value::Object(map) => Ok(group_scalar_keys(map)),
        Value::String(s) if s.is_empty() => Ok((Vec::new(), Vec::new())),
        Value::Array(items) if items.is_empty() => Ok((Vec::new(), Vec::new())),
        Value::String(_) => Err("string indices must be integers, not 'str'".into()),
        Value::Array(items) => Err(format!(
            "list indices must be integers or slices, not {}",
            items.first().map_or("list", python_type)
        )),
        other => Err(format!("'{}' object is not iterable", python_type(other))),
    }
}

fn render_section(section: &Section, max_width: usize, out: &mut String) {
    let indent = section.indent_level;
    let mut lines = Vec::new();
    let width = max_width.saturating_sub(indent * 2);
    if let Some(title) = section.title.as_deref().filter(|t| !t.is_empty()) {
        lines.push(center_text(title, width, "|", "|"));
        if section.headers.is_empty() && section.rows.is_empty() {
            lines.push(format!("+{}+", "-".repeat(width.saturating_sub(2))));
        }
    }
    if !section.headers.is_empty() {
        let widths = section.column_widths(4, Some(width));
        let mut current = String::new();
        for (i, (w, header)) in widths.iter().zip(&section.headers).enumerate() {
            current.push_str(&center_text(header, *w, if i == 0 { "|" } else { "" }, "|"));
        }
        lines.push(line_break(&widths));
        lines.push(current);
    }
    if !section.rows.is_empty() {
        let widths = section.column_widths(4, Some(width));
        if !widths.is_empty() {
            lines.push(line_break(&widths));
            for row in &section.rows {
                let mut current = String::new();
                for (i, (w, element)) in widths.iter().zip(row).enumerate() {
                    current.push_str(&align_left(element, *w, if i == 0 { "|" } else { "" }, "|"));
                }
                lines.push(current);
            }
            lines.push(line_break(&widths));
        }
    }
    let edge = "|".repeat(indent);
    for line in lines {
        out.push_str(&edge);
        out.push_str(&line);
        out.push_str(&edge);
        out.push('\n');
    }
}

fn spaces(count: i64) -> String {
    " ".repeat(usize::try_from(count).unwrap_or(0))
}

/// `center_text`: Python's arithmetic, negative paddings giving no spaces.
fn center_text(text: &str, length: usize, left_edge: &str, right_edge: &str) -> String {
    let text_length = text_width(text) as i64;
    let length = length as i64;
    let char_start = length.div_euclid(2) - text_length.div_euclid(2) - 1;
    let length_so_far = text_width(left_edge) as i64 + char_start + text_length;
    let right = length - text_width(right_edge) as i64 - length_so_far;
    format!("{left_edge}{}{text}{}{right_edge}", spaces(char_start), spaces(right))
}

/// `align_left` with a left padding of two when the text fits.
fn align_left(text: &str, length: usize, left_edge: &str, right_edge: &str) -> String {
    let text_length = text_width(text) as i64;
    let length = length as i64;
    let left = left_edge.chars().count() as i64;
    let right = right_edge.chars().count() as i64;
    let padding = if length - (text_length + 2 + left + right) >= 0 {
        2
    } else {
        0
    };
    let so_far = left + padding + text_length;
    format!(
        "{left_edge}{}{text}{}{right_edge}",
        spaces(padding),
        spaces(length - so_far - right)
    )
}

fn line_break(widths: &[usize]) -> String {
    widths
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i == 0 {
                format!("+{}+", "-".repeat(w.saturating_sub(2)))
            } else {
                format!("{}+", "-".repeat(w.saturating_sub(1)))
            }
        })
        .collect()
}
