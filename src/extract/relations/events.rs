//! What happens in an episode: its event type (the first trigger outside post
//! titles), and the role each participant's verb gives them.

use super::*;

impl RelationFinder<'_, '_> {
    /// The first event trigger of a sentence, as (event type, char offset); a
    /// trigger inside a post title (`人大常委会主任`) names no event.
    pub(crate) fn first_trigger(&self, si: usize) -> Option<(usize, usize)> {
        let sent = &self.cx.sents[si];
        let in_title = |at: usize| {
            self.m.person_mentions[si]
                .iter()
                .any(|m| m.phrase_start <= at && at < m.start)
        };
        let opening = self.cx.same_day_opening(si);
        self.cx
            .ex
            .triggers
            .find_iter(&sent.norm)
            .map(|m| {
                (
                    self.cx.ex.trigger_type[m.pattern().as_usize()],
                    sent.b2c[m.start()],
                )
            })
            .find(|&(_, at)| at >= opening && !in_title(at))
    }

    /// Whether an undated sentence moves on to another activity of the same day:
    /// it opens with a same-day word (`当天下午`, `仪式结束后`), names an
    /// activity and someone taking part.
    pub(crate) fn same_day_activity(&self, si: usize) -> bool {
        // A sentence that names no one (`会后，双方签署了协议`) tells more of
        // the activity before: an event of its own would have no participants.
        self.cx.same_day_opening(si) > 0
            && self.first_trigger(si).is_some()
            && !self.m.person_mentions[si].is_empty()
    }

    /// Event type: the first trigger word in the episode.
    pub(crate) fn event_type(&self, sentences: &[usize]) -> (usize, Option<(usize, usize)>) {
        for &si in sentences {
            if let Some((kind, at)) = self.first_trigger(si) {
                return (kind, Some((si, at)));
            }
        }
        let other = self
            .cx
            .lex()
            .event_types
            .iter()
            .position(|c| c.key == "other")
            .unwrap_or(0);
        (other, None)
    }

    /// The role verb that governs a mention: right after it, after a short gap, or
    /// after the rest of the list it stands in.
    pub(crate) fn role_of(&self, si: usize, k: usize) -> Option<usize> {
        let sent = &self.cx.sents[si];
        let ms = &self.m.person_mentions[si];
        let m = &ms[k];
        let next_start = ms
            .get(k + 1)
            .map(|n| n.phrase_start)
            .unwrap_or(sent.chars.len());
        let gap_end = next_start.max(m.end);
        let gap = sent.slice(m.end, gap_end);
        if let Some(r) = self.cx.ex.roles.find(&gap) {
            let before: String = gap[..r.start()].to_string();
            let clean = before.chars().count() <= 12
                && !before.contains(['。', ';'])
                && !(before.contains(',')
                    && before.chars().count() > 6
                    && !before.starts_with("等"));
            if clean {
                return Some(self.cx.ex.role_of[r.pattern().as_usize()]);
            }
        }
        if k + 1 < ms.len() {
            let g = gap.trim();
            if matches!(g, "" | "、" | "," | "和" | "与" | "及" | "以及" | "同") {
                return self.role_of(si, k + 1);
            }
        }
        None
    }
}
