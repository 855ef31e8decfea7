//! The words jiandu reads with: jieba's dictionary and the domain dictionary, the slot
//! lexicons and the canonical spellings, built in, plus what a user's folder adds
//! ([`UserData`]).
//!
//! One value holds them, built by the front-end and passed to every stage that segments
//! or matches words, as typst passes its `World`: the command line builds it once from
//! `JIANDU_DATA`, the workbench keeps one for its server, and a test or library caller may
//! build as many as it likes, each with its own additions, in one process. Everything in
//! it is made on first use (the dictionary, the lexicons' token sequences, the canonical
//! table), so a command that never segments pays for none of it.

use super::canon::Canon;
use super::lexicon::Lexicons;
use super::segment::Segmenter;
use super::userdata::UserData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// The dictionary, lexicons and canonical terms, built in plus a user's additions.
#[derive(Debug)]
pub struct Vocabulary {
    /// Tells this value's entries apart in the per-thread caches ([`Vocabulary::table`]).
    id: u64,
    user: UserData,
    lexicons: OnceLock<Lexicons>,
    canon: OnceLock<Canon>,
    pub(super) segmenter: Segmenter,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary::new(UserData::default())
    }
}

impl Vocabulary {
    /// The built-in words with a user's additions (read by [`super::userdata::load`]).
    pub fn new(user: UserData) -> Vocabulary {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Vocabulary {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            user,
            lexicons: OnceLock::new(),
            canon: OnceLock::new(),
            segmenter: Segmenter::default(),
        }
    }

    /// The built-in words alone, shared by every caller that adds none (tests, the
    /// benchmarks, a front-end without a user folder). It is built from constants of the
    /// program, so sharing it hides no input.
    pub fn builtin() -> &'static Vocabulary {
        static BUILTIN: OnceLock<Vocabulary> = OnceLock::new();
        BUILTIN.get_or_init(Vocabulary::default)
    }

    /// This vocabulary's table in a per-thread cache of answers that depend on the words (a
    /// word's part of speech, whether a name is a unit): the cache holds the id of the
    /// vocabulary that filled it, and is emptied first when another one asks.
    pub(super) fn table<'c, M: Default>(&self, cache: &'c mut (u64, M)) -> &'c mut M {
        if cache.0 != self.id {
            *cache = (self.id, M::default());
        }
        &mut cache.1
    }

    /// The user's additions this vocabulary was built with.
    pub fn user(&self) -> &UserData {
        &self.user
    }

    /// The user's `dict.txt` ("" when there is none).
    pub(super) fn user_dict(&self) -> &str {
        self.user.file("dict.txt").unwrap_or_default()
    }

    /// The slot lexicons: built-in, plus the user's `lexicons/*.txt`.
    pub fn lexicons(&self) -> &Lexicons {
        self.lexicons.get_or_init(|| Lexicons::with(&self.user))
    }

    /// The canonical terms: built-in, plus the user's `lexicons/canonical.txt`.
    pub fn canon(&self) -> &Canon {
        self.canon.get_or_init(|| {
            let mut text = super::canon::CANONICAL.to_string();
            if let Some(extra) = self.user.file("lexicons/canonical.txt") {
                text.push('\n');
                text.push_str(extra);
            }
            Canon::parse(&text)
        })
    }
}
