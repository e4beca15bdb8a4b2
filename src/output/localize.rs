//! The theme API's words and formats: the `t` function and the
//! `local_date` and `local_number` filters every template may use, backed
//! by the site's [`Catalogue`] (see docs/theme-api.md, Translations).

use crate::content::i18n::Catalogue;
use fluent_bundle::FluentValue;
use std::sync::Arc;
use tera::{Kwargs, State, Tera, Value};

/// Registers `t`, `local_date` and `local_number` on `tera`.
pub fn install(tera: &mut Tera, i18n: &Arc<Catalogue>) {
    let c = i18n.clone();
    tera.register_function("t", move |kwargs: Kwargs, _: &State| translate(&c, &kwargs));
    let c = i18n.clone();
    tera.register_filter(
        "local_date",
        move |v: Value, _: Kwargs, _: &State| match v.as_str() {
            Some(s) => Value::from(c.date_text(s).into_owned()),
            None => v,
        },
    );
    let c = i18n.clone();
    tera.register_filter("local_number", move |v: Value, _: Kwargs, _: &State| {
        if v.is_number() {
            Value::from(c.number(&v.to_string()))
        } else {
            v
        }
    });
}

/// `t(key="…", name=value…)`: the string `key`, its `{ $name }` filled in.
/// Tera 2 functions take keyword arguments only, hence `key=`.
fn translate(c: &Catalogue, kwargs: &Kwargs) -> tera::TeraResult<Value> {
    let key: &str = kwargs.must_get("key")?;
    let args: Vec<(&str, FluentValue)> = kwargs
        .iter()
        .filter_map(|(k, v)| {
            let name = k.as_str()?;
            (name != "key").then(|| (name, fluent_value(v)))
        })
        .collect();
    if args.is_empty() {
        // The catalogue's own text, copied once into the value.
        return Ok(Value::from(c.t(key)));
    }
    Ok(Value::from(c.t_args(key, &args)))
}

/// Numbers stay numbers (they choose the plural form); anything else is
/// its text.
fn fluent_value(v: &Value) -> FluentValue<'static> {
    match v.as_number() {
        Some(tera::Number::Integer(i)) => FluentValue::from(i as i64),
        Some(tera::Number::Float(f)) => FluentValue::from(f),
        Some(n) => FluentValue::from(n.to_string()),
        None => match v.as_str() {
            Some(s) => FluentValue::from(s.to_string()),
            None => FluentValue::from(v.to_string()),
        },
    }
}
