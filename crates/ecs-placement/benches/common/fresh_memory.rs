//! The floor under a call that places many tasks: writing, for each task, records of the sizes
//! the engine writes (a `Task` in the scenario, a frame record, a `Placement` in the outcome)
//! into vectors reserved for them up front, as the engine does, and nothing else. The vectors
//! are fresh memory, so the operating system maps and zeroes each page the first time it is
//! written: on the machines of `docs/performance.md` that costs about ten times the writes
//! themselves, and it is paid by every call that keeps its records.

use ecs_placement::engine::{Frames, Placement};
use ecs_placement::model::Task;
use std::hint::black_box;

/// Bytes a placed task writes into the three records (the frame's step counts not counted).
pub const BYTES_PER_TASK: usize = TASK_WORDS * 8 + FRAME_WORDS * 8 + PLACEMENT_WORDS * 8;

const TASK_WORDS: usize = std::mem::size_of::<Task>() / 8;
const FRAME_WORDS: usize = Frames::RECORD_BYTES / 8;
const PLACEMENT_WORDS: usize = std::mem::size_of::<Placement>() / 8;

/// A record of `N` words, each the task's number.
#[derive(Clone, Copy)]
struct Words<const N: usize>([u64; N]);

/// The records written, kept so that the caller frees them outside its timed section (as the
/// engine's bench drops its outcome and scenario).
pub struct Records {
    tasks: Vec<Words<TASK_WORDS>>,
    frames: Vec<Words<FRAME_WORDS>>,
    placements: Vec<Words<PLACEMENT_WORDS>>,
}

impl Records {
    /// How many tasks' records were written.
    pub fn len(&self) -> usize {
        self.tasks.len().min(self.frames.len()).min(self.placements.len())
    }
}

/// Writes the records of `tasks` tasks into fresh vectors reserved up front.
pub fn write_records(tasks: usize) -> Records {
    let mut records = Records {
        tasks: Vec::with_capacity(tasks),
        frames: Vec::with_capacity(tasks),
        placements: Vec::with_capacity(tasks),
    };
    write_again(&mut records, tasks);
    records
}

/// Empties `records` and writes the records of `tasks` tasks into the memory they already hold
/// (mapped by an earlier write): what the floor costs without the kernel's first touch of each
/// page.
pub fn write_again(records: &mut Records, tasks: usize) {
    records.tasks.clear();
    records.frames.clear();
    records.placements.clear();
    for task in 0..tasks as u64 {
        records.tasks.push(Words([task; TASK_WORDS]));
        records.frames.push(Words([task; FRAME_WORDS]));
        records.placements.push(Words([task; PLACEMENT_WORDS]));
    }
    black_box(&*records);
}
