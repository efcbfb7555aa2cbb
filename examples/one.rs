fn main() {
    let kind = std::env::args().nth(1).unwrap_or_default();
    let text = match kind.as_str() {
        "short" => "abc ".repeat(250_000),
        "long" => "abcdefghij ".repeat(100_000),
        _ => String::new(),
    };
    let fp = boildown::fingerprint(&text);
    eprintln!("{} {}", text.len(), fp.tokens);
}
