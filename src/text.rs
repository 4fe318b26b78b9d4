//! Text: splits an article body into paragraphs and sentences with character
//! offsets, and gives each a *normalised* copy for matching (full-width forms
//! folded to ASCII, odd spaces to plain spaces, Traditional characters to
//! Simplified). The normalised copy has exactly as many characters as the
//! original, so an offset found in one is an offset in the other.

/// A line of the body that holds text.
#[derive(Debug, Clone)]
pub struct Paragraph {
    /// Character offsets into the body, whitespace trimmed.
    pub start: usize,
    pub end: usize,
    pub norm: String,
    /// Indices into [`Document::sentences`].
    pub sentences: std::ops::Range<usize>,
}

/// A sentence (ends at 。！？ or at the end of its line).
#[derive(Debug, Clone)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    /// The original text, as evidence.
    pub text: String,
    /// The normalised text, for matching.
    pub norm: String,
    pub paragraph: usize,
    /// Whether it ends where text without sentence ends was cut (at
    /// [`MAX_SENTENCE_CHARS`]) rather than at a sentence end.
    pub cut: bool,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
    /// Sentences cut at [`MAX_SENTENCE_CHARS`] (text without sentence ends).
    pub cut_sentences: usize,
}

/// The longest sentence kept whole. Real sentences are a few hundred
/// characters at most; a longer run (a page of text with no 。) is cut into
/// pieces this long, so that extraction, which scans back over a sentence
/// from each name ending, stays linear in the length of the text.
pub const MAX_SENTENCE_CHARS: usize = 1000;

/// A Chinese character (CJK unified ideographs and extension A).
pub fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// Folds one character to its matching form (same count of characters out as in).
pub fn fold_char(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' | '\u{00a0}' | '\u{2002}'..='\u{200b}' | '\t' | '\u{feff}' | '\u{202f}' => ' ',
        _ => c,
    }
}

/// Normalises a text for matching: width folding, then Traditional → Simplified
/// where that keeps the character count (it almost always does).
pub fn normalise(text: &str) -> String {
    let folded: String = text.chars().map(fold_char).collect();
    if folded.is_ascii() {
        return folded;
    }
    let simplified = zhconv::zhconv(&folded, zhconv::Variant::ZhHans);
    if simplified.chars().count() == folded.chars().count() {
        return simplified;
    }
    // A phrase conversion changed the length: fall back to one character at a time.
    folded
        .chars()
        .map(|c| {
            let s = zhconv::zhconv(c.encode_utf8(&mut [0; 4]), zhconv::Variant::ZhHans);
            let mut it = s.chars();
            match (it.next(), it.next()) {
                (Some(one), None) => one,
                _ => c,
            }
        })
        .collect()
}

const SENTENCE_END: &[char] = &['。', '!', '?', '！', '？'];
const CLOSERS: &[char] = &['”', '’', '」', '』', ')', '）', '"', '\''];

impl Document {
    pub fn new(body: &str) -> Document {
        let mut paragraphs = Vec::new();
        let mut sentences = Vec::new();
        let mut cut_sentences = 0;
        let mut offset = 0; // in chars
        for line in body.split('\n') {
            let chars: Vec<char> = line.chars().collect();
            let line_len = chars.len();
            let norm_line: Vec<char> = normalise(line).chars().collect();
            debug_assert_eq!(norm_line.len(), line_len);
            let is_blank = |c: char| fold_char(c) == ' ' || c == '\r';
            let Some(first) = chars.iter().position(|&c| !is_blank(c)) else {
                offset += line_len + 1;
                continue;
            };
            let last = chars.iter().rposition(|&c| !is_blank(c)).unwrap_or(first) + 1;
            let first_sentence = sentences.len();
            let mut s = first;
            let mut i = first;
            while i < last {
                let mut end = None;
                let mut cut = false;
                if SENTENCE_END.contains(&chars[i]) {
                    let mut j = i + 1;
                    while j < last
                        && (CLOSERS.contains(&chars[j]) || SENTENCE_END.contains(&chars[j]))
                    {
                        j += 1;
                    }
                    end = Some(j);
                } else if i + 1 == last {
                    end = Some(last);
                } else if i + 1 - s >= MAX_SENTENCE_CHARS {
                    end = Some(i + 1);
                    cut = true;
                    cut_sentences += 1;
                }
                if let Some(e) = end {
                    let mut ss = s;
                    while ss < e && is_blank(chars[ss]) {
                        ss += 1;
                    }
                    if ss < e {
                        sentences.push(Sentence {
                            start: offset + ss,
                            end: offset + e,
                            text: chars[ss..e].iter().collect(),
                            norm: norm_line[ss..e].iter().collect(),
                            paragraph: paragraphs.len(),
                            cut,
                        });
                    }
                    s = e;
                    i = e;
                } else {
                    i += 1;
                }
            }
            paragraphs.push(Paragraph {
                start: offset + first,
                end: offset + last,
                norm: norm_line[first..last].iter().collect(),
                sentences: first_sentence..sentences.len(),
            });
            offset += line_len + 1;
        }
        Document {
            paragraphs,
            sentences,
            cut_sentences,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_keep_offsets_into_the_body() {
        let body = "标题\n\n  5月30日，会议召开。张三主持！\n结尾";
        let doc = Document::new(body);
        let chars: Vec<char> = body.chars().collect();
        assert_eq!(doc.paragraphs.len(), 3);
        assert_eq!(doc.sentences.len(), 4);
        for s in &doc.sentences {
            let slice: String = chars[s.start..s.end].iter().collect();
            assert_eq!(slice, s.text);
        }
        assert_eq!(doc.sentences[1].text, "5月30日，会议召开。");
        assert_eq!(doc.sentences[1].norm, "5月30日,会议召开。");
        assert_eq!(doc.sentences[2].norm, "张三主持!");
    }

    #[test]
    fn a_run_without_sentence_ends_is_cut_into_pieces() {
        let body = "字".repeat(2 * MAX_SENTENCE_CHARS + 10) + "。";
        let doc = Document::new(&body);
        assert_eq!(doc.cut_sentences, 2);
        let lens: Vec<usize> = doc.sentences.iter().map(|s| s.end - s.start).collect();
        assert_eq!(lens, vec![MAX_SENTENCE_CHARS, MAX_SENTENCE_CHARS, 11]);
        let cut: Vec<bool> = doc.sentences.iter().map(|s| s.cut).collect();
        assert_eq!(cut, [true, true, false]);
        assert_eq!(Document::new("短句。").cut_sentences, 0);
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        let doc = Document::new("他说：“好。”然后走了。");
        assert_eq!(doc.sentences[0].text, "他说：“好。”");
    }

    #[test]
    fn traditional_text_is_simplified_for_matching_only() {
        let doc = Document::new("區委書記張三主持會議。");
        assert_eq!(doc.sentences[0].text, "區委書記張三主持會議。");
        assert_eq!(doc.sentences[0].norm, "区委书记张三主持会议。");
    }

    #[test]
    fn full_width_digits_and_spaces_fold() {
        assert_eq!(normalise("５月３０日\u{3000}ＣＥＯ"), "5月30日 CEO");
    }
}
