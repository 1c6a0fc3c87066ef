//! The closed sets of words the content format accepts (enum values, kebab-case).

/// An enum whose values are written as fixed words in the content.
pub trait Keyword: Sized + Copy + 'static {
    const ALL: &'static [(&'static str, Self)];
    /// The words alone, in the order of `ALL`.
    const NAMES: &'static [&'static str];
    fn as_str(self) -> &'static str;
}

macro_rules! keyword_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl Keyword for $name {
            const ALL: &'static [(&'static str, Self)] = &[$(($text, $name::$variant)),+];
            const NAMES: &'static [&'static str] = &[$($text),+];
            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyword_enum!(ItemType { Feature = "feature", TechDebt = "tech-debt", Infrastructure = "infrastructure", Experiment = "experiment" });
keyword_enum!(ItemStatus { Idea = "idea", Planned = "planned", InProgress = "in-progress", Shipped = "shipped", Paused = "paused", Cancelled = "cancelled" });
keyword_enum!(Horizon { Now = "now", Next = "next", Later = "later" });
keyword_enum!(Confidence { Low = "low", Medium = "medium", High = "high" });
keyword_enum!(Direction { Increase = "increase", Decrease = "decrease" });
keyword_enum!(PostmortemStatus { Draft = "draft", InReview = "in-review", Published = "published" });
keyword_enum!(Detection { Alert = "alert", Customer = "customer", Internal = "internal", Other = "other" });
keyword_enum!(Cause { Deploy = "deploy", Config = "config", Dependency = "dependency", Capacity = "capacity", Hardware = "hardware", Code = "code", Data = "data", Process = "process", Other = "other" });
keyword_enum!(ActionStatus { Open = "open", InProgress = "in-progress", Done = "done", WontDo = "wont-do" });
keyword_enum!(Priority { P0 = "p0", P1 = "p1", P2 = "p2", P3 = "p3" });
keyword_enum!(ActionType { Prevent = "prevent", Mitigate = "mitigate", Detect = "detect", Process = "process" });

pub fn parse_keyword<T: Keyword>(text: &str) -> Option<T> {
    T::ALL.iter().find(|(t, _)| *t == text).map(|(_, v)| *v)
}

pub fn keyword_names<T: Keyword>() -> Vec<&'static str> {
    T::ALL.iter().map(|(t, _)| *t).collect()
}

impl ItemStatus {
    /// The board column an item sits in when the file does not say: in-progress → now,
    /// planned → next, idea/paused → later; shipped and cancelled items are off the board.
    pub fn default_horizon(self) -> Option<Horizon> {
        match self {
            ItemStatus::InProgress => Some(Horizon::Now),
            ItemStatus::Planned => Some(Horizon::Next),
            ItemStatus::Idea | ItemStatus::Paused => Some(Horizon::Later),
            ItemStatus::Shipped | ItemStatus::Cancelled => None,
        }
    }
}

impl ActionStatus {
    /// Open for every count that asks "is it still to do": open and in-progress.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }
}
