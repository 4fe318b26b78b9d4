//! The article reader on arbitrary bytes: encoding detection and decoding,
//! front matter, HTML to text. The first byte picks the file name's ending.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let name = if first & 1 == 1 { "a.html" } else { "a.txt" };
    let _ = govkg::source::article_from_bytes(Path::new(name), bytes);
});
