//! Page contexts as the template engine's own values.
//!
//! Views build `tera::Value`s directly with [`val!`](crate::val), which reads like
//! `serde_json::json!`: `val!({"title": x.title, "tags": x.tags, "more": null})`. Maps and
//! lists inside a `Value` are reference counted, so a fragment many pages show (an item's
//! row, an outcome's card with its sparkline) is built once per build and shared.
//!
//! A value in `val!` is taken by reference and turned into a `Value` by [`ToVal`]: strings,
//! numbers, booleans, dates, options (`None` is the template's `none`), vectors and slices,
//! `Value`s, and metrics read from metrics.json (`serde_json::Value`). Anything else that
//! implements `Serialize` goes through [`ser`].

use jiff::civil::Date;
pub use serde_json::Value as Json;
pub use tera::{Map, Value};

/// The entries of a map being built: sorted by key (so a template looping over any map
/// walks its keys in sorted order), hashed once when it becomes a `Value`.
pub type Entries = std::collections::BTreeMap<tera::value::Key<'static>, Value>;

/// The entries of a map value, for adding to.
fn entries(value: &Value) -> Entries {
    value
        .as_map()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// Build a `tera::Value` with JSON-like syntax: `{"key": expr, …}`, `[expr, …]`, `null`, or
/// an expression (taken by reference, converted with [`ToVal`]). Keys are string literals.
#[macro_export]
macro_rules! val {
    // Object entries: a literal key, a colon, then value tokens up to the next comma.
    (@object $map:ident ()) => {};
    (@object $map:ident () $key:literal : $($rest:tt)+) => {
        $crate::val!(@entry $map $key () $($rest)+)
    };
    (@entry $map:ident $key:literal ($($value:tt)+) , $($rest:tt)*) => {
        $map.insert($key.into(), $crate::val!($($value)+));
        $crate::val!(@object $map () $($rest)*)
    };
    (@entry $map:ident $key:literal ($($value:tt)*) $next:tt $($rest:tt)*) => {
        $crate::val!(@entry $map $key ($($value)* $next) $($rest)*)
    };
    (@entry $map:ident $key:literal ($($value:tt)+)) => {
        $map.insert($key.into(), $crate::val!($($value)+));
    };

    // Array elements: value tokens up to the next comma.
    (@array $list:ident ()) => {};
    (@array $list:ident ($($value:tt)+) , $($rest:tt)*) => {
        $crate::render::value::push(&mut $list, $crate::val!($($value)+));
        $crate::val!(@array $list () $($rest)*)
    };
    (@array $list:ident ($($value:tt)*) $next:tt $($rest:tt)*) => {
        $crate::val!(@array $list ($($value)* $next) $($rest)*)
    };
    (@array $list:ident ($($value:tt)+)) => {
        $crate::render::value::push(&mut $list, $crate::val!($($value)+));
    };

    (null) => {
        $crate::render::value::Value::none()
    };
    ({}) => {
        $crate::render::value::Value::from($crate::render::value::Map::new())
    };
    ({ $($body:tt)+ }) => {{
        let mut map = $crate::render::value::Entries::new();
        $crate::val!(@object map () $($body)+);
        $crate::render::value::Value::from(map)
    }};
    ([]) => {
        $crate::render::value::Value::from(::std::vec::Vec::<$crate::render::value::Value>::new())
    };
    ([ $($body:tt)+ ]) => {{
        let mut list: ::std::vec::Vec<$crate::render::value::Value> = ::std::vec::Vec::new();
        $crate::val!(@array list () $($body)+);
        $crate::render::value::Value::from(list)
    }};
    ($e:expr) => {
        $crate::render::value::ToVal::to_val(&$e)
    };

}

#[doc(hidden)]
pub fn push(list: &mut Vec<Value>, value: Value) {
    list.push(value);
}

/// Conversion of a borrowed Rust value into a template value.
pub trait ToVal {
    fn to_val(&self) -> Value;
}

impl<T: ToVal + ?Sized> ToVal for &T {
    fn to_val(&self) -> Value {
        (**self).to_val()
    }
}

impl ToVal for Value {
    fn to_val(&self) -> Value {
        self.clone()
    }
}

impl ToVal for str {
    fn to_val(&self) -> Value {
        Value::from(self)
    }
}

impl ToVal for String {
    fn to_val(&self) -> Value {
        Value::from(self.as_str())
    }
}

macro_rules! to_val_by_copy {
    ($($t:ty),*) => {
        $(impl ToVal for $t {
            fn to_val(&self) -> Value {
                Value::from(*self)
            }
        })*
    };
}

to_val_by_copy!(bool, i32, i64, u32, u64, usize, f64);

impl ToVal for Date {
    fn to_val(&self) -> Value {
        Value::from(self.to_string())
    }
}

impl<T: ToVal> ToVal for Option<T> {
    fn to_val(&self) -> Value {
        self.as_ref().map_or_else(Value::none, ToVal::to_val)
    }
}

impl<T: ToVal> ToVal for [T] {
    fn to_val(&self) -> Value {
        Value::from(self.iter().map(ToVal::to_val).collect::<Vec<Value>>())
    }
}

impl<T: ToVal> ToVal for Vec<T> {
    fn to_val(&self) -> Value {
        self.as_slice().to_val()
    }
}

/// A number or structure read from metrics.json.
impl ToVal for serde_json::Value {
    fn to_val(&self) -> Value {
        use serde_json::Value as J;
        match self {
            J::Null => Value::none(),
            J::Bool(b) => Value::from(*b),
            J::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Value::from(u),
                (None, Some(i)) => Value::from(i),
                _ => Value::from(n.as_f64().unwrap_or(f64::NAN)),
            },
            J::String(s) => Value::from(s.as_str()),
            J::Array(list) => list.to_val(),
            J::Object(map) => Value::from(
                map.iter()
                    .map(|(k, v)| (tera::value::Key::from(k.clone()), v.to_val()))
                    .collect::<Entries>(),
            ),
        }
    }
}

/// Any serializable value (a content struct such as an item's `release`), through serde,
/// with the keys of its maps sorted.
pub fn ser<T: serde::Serialize + ?Sized>(value: &T) -> Value {
    serde_json::to_value(value).map_or_else(|_| Value::none(), |j| j.to_val())
}

/// `value` (a map) with the entries of `extra` (a map) added, replacing equal keys.
pub fn merge(value: Value, extra: Value) -> Value {
    let mut map = entries(&value);
    if let Some(more) = extra.as_map() {
        map.extend(more.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    Value::from(map)
}

/// `value` (a map) with `key` set to `item`.
pub fn with(value: Value, key: &'static str, item: Value) -> Value {
    let mut map = entries(&value);
    map.insert(key.into(), item);
    Value::from(map)
}

/// The entry `key` of a map value (for the small maps views build).
pub fn get<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    value
        .as_map()?
        .iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_nested_values_like_json() {
        let title = String::from("Faster checkout");
        let tags = vec!["a", "b"];
        let none: Option<String> = None;
        let v = crate::val!({
            "title": title,
            "tags": tags,
            "count": tags.len() + 1,
            "ratio": 0.5,
            "missing": none,
            "nested": {"ok": true, "list": [1, "two", null]},
            "empty": {},
        });
        // Keys come sorted; `none` prints as nothing, as in a template.
        assert_eq!(
            v.to_string(),
            r#"{"count": 3, "empty": {}, "missing": , "nested": {"list": [1, "two", ], "ok": true}, "ratio": 0.5, "tags": ["a", "b"], "title": "Faster checkout"}"#
        );
    }

    #[test]
    fn metrics_values_keep_their_number_kinds() {
        let j = serde_json::json!({"n": 3, "neg": -2, "f": 1.5, "s": "x", "z": null});
        assert!(get(&j.to_val(), "z").is_some_and(Value::is_none));
        assert_eq!(
            j.to_val().to_string(),
            r#"{"f": 1.5, "n": 3, "neg": -2, "s": "x", "z": }"#
        );
    }

    #[test]
    fn merge_and_with_add_keys() {
        let v = merge(crate::val!({"a": 1, "b": 2}), crate::val!({"b": 3, "c": 4}));
        let v = with(v, "d", crate::val!(5));
        assert_eq!(v.to_string(), r#"{"a": 1, "b": 3, "c": 4, "d": 5}"#);
        assert_eq!(get(&v, "c").and_then(Value::as_i64), Some(4));
        assert!(get(&v, "zz").is_none());
    }
}
