//! PDF content streams (PDF 32000-1 §7.8.2), tokenised as they are read: a page whose stream
//! inflates to hundreds of megabytes of path operators costs time, not memory, because no
//! operator is kept once it has been handled (lopdf's `Content::decode` keeps them all, and a
//! 300 KB file grew past 9 GB that way). Inline images (`BI ... ID <bytes> EI`) are skipped.

use std::io::{self, Read};

/// A string operand longer than this is cut (its tail is not text anyone types).
const MAX_STRING: usize = 1 << 20;
/// Operands kept for the next operator; a stream that pushes more is malformed.
const MAX_OPERANDS: usize = 64;
/// Elements kept of one array operand (a `TJ` array is a line's worth of strings).
const MAX_ARRAY: usize = 1 << 16;

/// One operand of a content-stream operator.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A number.
    Number(f32),
    /// A string's bytes (literal or hex).
    String(Vec<u8>),
    /// A name, without its slash.
    Name(Vec<u8>),
    /// An array (of strings and numbers, for `TJ`).
    Array(Vec<Operand>),
    /// Anything else (a dictionary, a boolean): kept only so operand counts stay right.
    Other,
}

/// Reads operators with their operands from a content stream.
pub struct Lexer<R: Read> {
    input: R,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    /// Bytes read from `input` so far.
    pub consumed: u64,
}

impl<R: Read> Lexer<R> {
    /// A lexer over `input`.
    pub fn new(input: R) -> Self {
        Lexer {
            input,
            buf: vec![0u8; 64 << 10].into_boxed_slice(),
            pos: 0,
            len: 0,
            consumed: 0,
        }
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        if self.pos == self.len {
            self.len = loop {
                match self.input.read(&mut self.buf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            };
            self.pos = 0;
            self.consumed += self.len as u64;
            if self.len == 0 {
                return Ok(None);
            }
        }
        Ok(Some(self.buf[self.pos]))
    }

    fn next_byte(&mut self) -> io::Result<Option<u8>> {
        let b = self.peek()?;
        if b.is_some() {
            self.pos += 1;
        }
        Ok(b)
    }

    /// The next operator and its operands (in `operands`, cleared first); `None` at the end.
    pub fn next_operation(&mut self, operands: &mut Vec<Operand>) -> io::Result<Option<Vec<u8>>> {
        operands.clear();
        loop {
            match self.token(0)? {
                None => return Ok(None),
                Some(Token::Operator(op)) if op == b"BI" => {
                    self.skip_inline_image()?;
                    operands.clear();
                }
                Some(Token::Operator(op)) => return Ok(Some(op)),
                Some(Token::Operand(operand)) => {
                    if operands.len() == MAX_OPERANDS {
                        operands.clear();
                    }
                    operands.push(operand);
                }
                Some(Token::ArrayEnd | Token::DictEnd) => {}
            }
        }
    }

    /// One token; `depth` is how deep inside arrays and dictionaries it is.
    fn token(&mut self, depth: usize) -> io::Result<Option<Token>> {
        loop {
            let Some(b) = self.next_byte()? else {
                return Ok(None);
            };
            return Ok(Some(match b {
                b if is_whitespace(b) => continue,
                b'%' => {
                    while let Some(c) = self.next_byte()? {
                        if c == b'\n' || c == b'\r' {
                            break;
                        }
                    }
                    continue;
                }
                b'(' => Token::Operand(Operand::String(self.literal_string()?)),
                b'<' if self.peek()? == Some(b'<') => {
                    self.pos += 1;
                    self.skip_dictionary(depth)?;
                    Token::Operand(Operand::Other)
                }
                b'<' => Token::Operand(Operand::String(self.hex_string()?)),
                b'>' => {
                    if self.peek()? == Some(b'>') {
                        self.pos += 1;
                    }
                    Token::DictEnd
                }
                b'[' => Token::Operand(Operand::Array(self.array(depth + 1)?)),
                b']' => Token::ArrayEnd,
                b'/' => Token::Operand(Operand::Name(self.regular_run(Vec::new())?)),
                b'{' | b'}' => continue,
                b if b.is_ascii_digit() || b == b'-' || b == b'+' || b == b'.' => {
                    let run = self.regular_run(vec![b])?;
                    Token::Operand(Operand::Number(parse_number(&run)))
                }
                b => {
                    let word = self.regular_run(vec![b])?;
                    match word.as_slice() {
                        b"true" | b"false" | b"null" => Token::Operand(Operand::Other),
                        _ => Token::Operator(word),
                    }
                }
            }));
        }
    }

    /// The bytes of a run of regular characters, after `start`.
    fn regular_run(&mut self, mut run: Vec<u8>) -> io::Result<Vec<u8>> {
        while let Some(b) = self.peek()? {
            if is_whitespace(b) || is_delimiter(b) {
                break;
            }
            self.pos += 1;
            if run.len() < 256 {
                run.push(b);
            }
        }
        Ok(run)
    }

    /// A literal string after its `(`: nested parentheses and escapes.
    fn literal_string(&mut self) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut nesting = 1usize;
        let push = |out: &mut Vec<u8>, b: u8| {
            if out.len() < MAX_STRING {
                out.push(b);
            }
        };
        while let Some(b) = self.next_byte()? {
            match b {
                b'(' => {
                    nesting += 1;
                    push(&mut out, b);
                }
                b')' => {
                    nesting -= 1;
                    if nesting == 0 {
                        break;
                    }
                    push(&mut out, b);
                }
                b'\\' => match self.next_byte()? {
                    Some(b'n') => push(&mut out, b'\n'),
                    Some(b'r') => push(&mut out, b'\r'),
                    Some(b't') => push(&mut out, b'\t'),
                    Some(b'b') => push(&mut out, 8),
                    Some(b'f') => push(&mut out, 12),
                    Some(b'\r') => {
                        if self.peek()? == Some(b'\n') {
                            self.pos += 1;
                        }
                    }
                    Some(b'\n') => {}
                    Some(d @ b'0'..=b'7') => {
                        let mut value = u32::from(d - b'0');
                        for _ in 0..2 {
                            match self.peek()? {
                                Some(d @ b'0'..=b'7') => {
                                    self.pos += 1;
                                    value = value * 8 + u32::from(d - b'0');
                                }
                                _ => break,
                            }
                        }
                        push(&mut out, value as u8);
                    }
                    Some(other) => push(&mut out, other),
                    None => break,
                },
                b => push(&mut out, b),
            }
        }
        Ok(out)
    }

    /// A hex string after its `<`.
    fn hex_string(&mut self) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(b) = self.next_byte()? {
            let nibble = match b {
                b'>' => break,
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => continue,
            };
            match high.take() {
                Some(h) if out.len() < MAX_STRING => out.push(h << 4 | nibble),
                Some(_) => {}
                None => high = Some(nibble),
            }
        }
        if let Some(h) = high
            && out.len() < MAX_STRING
        {
            out.push(h << 4);
        }
        Ok(out)
    }

    /// An array after its `[`.
    fn array(&mut self, depth: usize) -> io::Result<Vec<Operand>> {
        let mut items = Vec::new();
        loop {
            match self.token(depth)? {
                None | Some(Token::ArrayEnd) => return Ok(items),
                // An operator inside an array is malformed: the array ends there.
                Some(Token::Operator(_)) => return Ok(items),
                Some(Token::Operand(item)) => {
                    // Arrays inside arrays hold no text to show; they are kept shallow.
                    let item = match item {
                        Operand::Array(_) if depth > 2 => Operand::Other,
                        item => item,
                    };
                    if items.len() < MAX_ARRAY {
                        items.push(item);
                    }
                }
                Some(Token::DictEnd) => {}
            }
        }
    }

    /// A dictionary after its `<<` (marked-content properties, inline-image parameters).
    fn skip_dictionary(&mut self, depth: usize) -> io::Result<()> {
        loop {
            match self.token(depth + 1)? {
                None | Some(Token::DictEnd) | Some(Token::Operator(_)) => return Ok(()),
                _ => {}
            }
        }
    }

    /// Skips an inline image after `BI`: its parameters up to `ID`, then its data up to `EI`
    /// between white space.
    fn skip_inline_image(&mut self) -> io::Result<()> {
        loop {
            match self.token(1)? {
                None => return Ok(()),
                Some(Token::Operator(op)) if op == b"ID" => break,
                _ => {}
            }
        }
        // `ID` is followed by one white-space byte, then the data.
        let mut last = [b' ', b' ', b' '];
        while let Some(b) = self.next_byte()? {
            if last[0..1].iter().all(|&c| is_whitespace(c))
                && last[1] == b'E'
                && last[2] == b'I'
                && (is_whitespace(b) || is_delimiter(b))
            {
                return Ok(());
            }
            last = [last[1], last[2], b];
        }
        Ok(())
    }
}

/// A token.
enum Token {
    Operand(Operand),
    Operator(Vec<u8>),
    ArrayEnd,
    DictEnd,
}

fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0 | 12)
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// A PDF number (`12`, `-3.5`, `.25`, `+7`); malformed ones read as 0.
fn parse_number(run: &[u8]) -> f32 {
    std::str::from_utf8(run)
        .ok()
        .and_then(|s| s.parse::<f32>().ok())
        .filter(|n| n.is_finite())
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operations(content: &[u8]) -> Vec<(String, Vec<Operand>)> {
        let mut lexer = Lexer::new(content);
        let mut operands = Vec::new();
        let mut out = Vec::new();
        while let Some(op) = lexer.next_operation(&mut operands).unwrap() {
            out.push((String::from_utf8(op).unwrap(), operands.clone()));
        }
        out
    }

    #[test]
    fn operators_and_operands() {
        let ops = operations(
            b"BT /F1 12 Tf 72 720 Td (Sveiki \\(pasaule\\)\\051 \\101) Tj [(A) -250 <4243>] TJ ET % komentars\n",
        );
        let names: Vec<&str> = ops.iter().map(|(op, _)| op.as_str()).collect();
        assert_eq!(names, ["BT", "Tf", "Td", "Tj", "TJ", "ET"]);
        assert_eq!(
            ops[1].1,
            [Operand::Name(b"F1".to_vec()), Operand::Number(12.0)]
        );
        assert_eq!(ops[3].1, [Operand::String(b"Sveiki (pasaule)) A".to_vec())]);
        assert_eq!(
            ops[4].1,
            [Operand::Array(vec![
                Operand::String(b"A".to_vec()),
                Operand::Number(-250.0),
                Operand::String(b"BC".to_vec())
            ])]
        );
    }

    #[test]
    fn inline_images_and_dictionaries_are_skipped() {
        let ops = operations(
            b"/P <</MCID 0>> BDC BI /W 2 /H 2 /BPC 8 /CS /G ID \x00EI\xffEI\x01 EI Q (x) Tj EMC",
        );
        let names: Vec<&str> = ops.iter().map(|(op, _)| op.as_str()).collect();
        assert_eq!(names, ["BDC", "Q", "Tj", "EMC"]);
    }

    #[test]
    fn a_huge_stream_of_operators_is_read_in_constant_memory() {
        // 20 MB of `0 0 m`: only the lexer's buffer is held.
        struct Repeat(u64);
        impl Read for Repeat {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(self.0 as usize) / 6 * 6;
                for chunk in buf[..n].chunks_mut(6) {
                    chunk.copy_from_slice(b"0 0 m\n");
                }
                self.0 -= n as u64;
                Ok(n)
            }
        }
        let mut lexer = Lexer::new(Repeat(20 << 20));
        let mut operands = Vec::new();
        let mut count = 0u64;
        while lexer.next_operation(&mut operands).unwrap().is_some() {
            count += 1;
        }
        assert_eq!(count, (20 << 20) / 6);
    }
}
