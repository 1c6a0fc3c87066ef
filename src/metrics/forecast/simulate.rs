//! Simulated forecasts: items that wait on open work, in 10,000 trials.
//!
//! In each trial every open item involved draws one duration sample; its ship date follows
//! from that sample and the ship dates its dependencies got in the same trial, so an item
//! shared by several dependants moves them together. Items are worked through dependencies
//! first, each as a vector of its 10,000 trial ship dates (working-day indices) that is
//! dropped once its last dependant has used it. Each trial's value is a pure function of the
//! draws ([`Draws`]), so splitting the trials across threads changes nothing.

use rayon::prelude::*;

use super::Plan;
use super::draws::{Distribution, Draws, TRIALS};
use crate::model::Model;

/// Trials per parallel task.
const CHUNK: usize = 1024;

/// The distribution of ship dates of each item of `simulated` (items with an open
/// dependency), with its item index.
pub(super) fn run(
    model: &Model,
    plans: &[Option<Plan>],
    simulated: &[usize],
) -> Vec<(usize, Distribution)> {
    if simulated.is_empty() {
        return Vec::new();
    }
    let n = model.items.len();
    // Every item the simulated ones transitively wait on, and how many of those use each.
    let mut involved = vec![false; n];
    let mut stack: Vec<usize> = simulated.to_vec();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut involved[i], true) {
            continue;
        }
        if let Some(plan) = &plans[i] {
            stack.extend(plan.open_dependencies.iter().copied());
        }
    }
    let mut uses = vec![0usize; n];
    for (i, plan) in plans.iter().enumerate() {
        if let (true, Some(plan)) = (involved[i], plan) {
            for &d in &plan.open_dependencies {
                uses[d] += 1;
            }
        }
    }
    let mut wanted = vec![false; n];
    for &i in simulated {
        wanted[i] = true;
    }

    let mut trials: Vec<Option<Vec<i64>>> = vec![None; n];
    let mut out = Vec::with_capacity(simulated.len());
    for i in super::dependencies_first(model) {
        let (true, Some(plan)) = (involved[i], &plans[i]) else {
            continue;
        };
        let draws = Draws::of(&model.items[i].id);
        let dependencies: Vec<&[i64]> = plan
            .open_dependencies
            .iter()
            .filter_map(|&d| trials[d].as_deref())
            .collect();
        let mut ship = vec![0i64; TRIALS as usize];
        ship.par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(chunk, values)| {
                for (k, value) in values.iter_mut().enumerate() {
                    let t = chunk * CHUNK + k;
                    // The first working day after the latest dependency's ship date.
                    let after = dependencies
                        .iter()
                        .map(|dep| dep[t] + 1)
                        .max()
                        .unwrap_or(i64::MIN);
                    let d = plan.durations[draws.pick(t as u32, plan.durations.len())];
                    *value = plan.ship(d, after);
                }
            });
        for &d in &plan.open_dependencies {
            uses[d] -= 1;
            if uses[d] == 0 {
                trials[d] = None;
            }
        }
        if wanted[i] {
            let mut values = ship.clone();
            out.push((i, Distribution::of(&mut values)));
        }
        if uses[i] > 0 {
            trials[i] = Some(ship);
        }
    }
    out
}
