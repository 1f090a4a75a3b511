//! Where a JSON reader is (`instances[2].attributes`), and where it first failed: shared by the
//! text reader ([`super::parse`]) and the typed reader ([`super::typed`]).

use std::cell::RefCell;

/// One step of a JSON path.
pub(super) enum Step {
    Key(String),
    Index(usize),
}

/// The steps down to the value being read, and the path of the first failure.
#[derive(Default)]
pub(super) struct Track {
    path: RefCell<Vec<Step>>,
    failed: RefCell<Option<String>>,
}

impl Track {
    /// Goes one step down; returns how deep the reader now is.
    pub(super) fn enter(&self, step: Step) -> usize {
        let mut path = self.path.borrow_mut();
        path.push(step);
        path.len()
    }

    /// Goes one step back up.
    pub(super) fn leave(&self) {
        self.path.borrow_mut().pop();
    }

    /// Goes one step back up after reading a value there, first recording the path if the read
    /// failed. Not inlined: one copy serves every type the typed reader reads.
    #[inline(never)]
    pub(super) fn leave_after(&self, failed: bool) {
        if failed {
            self.fail_here();
        }
        self.leave();
    }

    /// Records the current path as where reading failed, unless a deeper one was recorded.
    pub(super) fn fail_here(&self) {
        let mut failed = self.failed.borrow_mut();
        if failed.is_none() {
            *failed = Some(self.render());
        }
    }

    /// The path of the first failure, if any (empty for the document itself).
    pub(super) fn failed(&self) -> Option<String> {
        self.failed.borrow().clone()
    }

    fn render(&self) -> String {
        let mut text = String::new();
        for step in self.path.borrow().iter() {
            match step {
                Step::Key(key) => {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    text.push_str(key);
                }
                Step::Index(index) => {
                    text.push('[');
                    text.push_str(&index.to_string());
                    text.push(']');
                }
            }
        }
        text
    }
}
