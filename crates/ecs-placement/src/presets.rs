//! Built-in scenarios and the blog use cases that run on them. Their files live in the
//! repository's `tests/scenarios/` (they are also the use-case fixtures) and `presets/`; this
//! module names them, and reads a preset from the text of its file: the core does no I/O and,
//! unless asked, compiles no file in. The CLI (`preset:NAME`) and the tests compile the files in
//! with the `embedded-presets` feature; the page fetches them as static files (`cargo xtask
//! build-web` copies them into `web/pkg/presets/`), which keeps them out of the WebAssembly
//! module. The large fleets for scale tests (`fleet-300`, `fleet-1000`) are generated in code
//! instead (`presets/fleet.rs`, the `generated-fleets` feature).

use crate::error::Result;
use crate::scenario::Scenario;
use serde::Serialize;

#[cfg(feature = "generated-fleets")]
mod fleet;

/// Without the `generated-fleets` feature (the browser page's first module) the fleets are
/// listed, and loading one is [`ErrorKind::FeatureLeftOut`](crate::error::ErrorKind).
#[cfg(not(feature = "generated-fleets"))]
mod fleet {
    use crate::error::{Error, Result};
    use crate::scenario::Scenario;

    /// `fleet-300`, left out.
    pub(super) fn fleet_300(_sample: Scenario) -> Result<Scenario> {
        Err(left_out())
    }

    /// `fleet-1000`, left out.
    pub(super) fn fleet_1000(_sample: Scenario) -> Result<Scenario> {
        Err(left_out())
    }

    fn left_out() -> Error {
        Error::left_out("the generated fleets (`fleet-300`, `fleet-1000`)")
    }
}

/// A built-in scenario: its name, a one-line description and where it comes from.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preset {
    /// Name used in `preset:<name>` and on the page.
    pub name: &'static str,
    /// What the scenario shows.
    pub description: &'static str,
    /// The scenario: a JSON file, or a generator.
    #[serde(skip)]
    pub source: PresetSource,
}

/// Where a built-in scenario comes from.
#[derive(Debug, Clone, Copy)]
pub enum PresetSource {
    /// A scenario JSON file of the preset files (its name, e.g. `sample.json`).
    File(&'static str),
    /// Built in code (the large generated fleets) from the scenario of a preset file (the
    /// fleets take the sample's task definitions), already normalized.
    Generated {
        /// The preset file it builds on.
        base: &'static str,
        /// Builds the scenario from the base's.
        generate: fn(Scenario) -> Result<Scenario>,
    },
}

impl Preset {
    /// The name of the preset file the scenario is read from (for a generated preset, the file
    /// it builds on).
    pub fn file(&self) -> &'static str {
        match self.source {
            PresetSource::File(file) | PresetSource::Generated { base: file, .. } => file,
        }
    }

    /// The scenario, checked and normalized like a loaded scenario file, from the text of the
    /// preset's file ([`Preset::file`]). Without the text, an error naming the file.
    pub fn load_from(&self, text: Option<&str>) -> Result<Scenario> {
        let Some(text) = text else {
            return Err(crate::Error::invalid_input(format!(
                "the built-in scenario `{}` is read from its file `{}`, which was not given",
                self.name,
                self.file()
            )));
        };
        match self.source {
            PresetSource::File(_) => Scenario::from_json(text),
            PresetSource::Generated { generate, .. } => generate(Scenario::from_json(text)?),
        }
    }

    /// The scenario, from the file compiled in.
    #[cfg(feature = "embedded-presets")]
    pub fn load(&self) -> Result<Scenario> {
        self.load_from(embedded::text(self.file()))
    }
}

/// Every built-in scenario (a `static`: one copy of the names and descriptions in the
/// WebAssembly module, where a `const` put one at every place that uses it).
pub static PRESETS: &[Preset] = &[
    Preset {
        name: "sample",
        description: "9 instances in 3 Availability Zones (t2, m5, g2) with a few running task groups and task definitions to run (nouvelleApp, webserver, cache, batch-job, frontend)",
        source: PresetSource::File("sample.json"),
    },
    Preset {
        name: "blog",
        description: "12 instances in 3 zones (t2, m5, g2, p2) for the use cases of the \"Amazon ECS Task Placement\" post",
        source: PresetSource::File("blog-cluster.json"),
    },
    Preset {
        name: "ebs-walkthrough",
        description: "The REX-Ray EBS walkthrough: instances with and without the rexray/ebs volume plugin",
        source: PresetSource::File("ebs-cluster.json"),
    },
    Preset {
        name: "efs-walkthrough",
        description: "The REX-Ray EFS walkthrough: two instances in two zones with the rexray/efs plugin",
        source: PresetSource::File("efs-cluster.json"),
    },
    Preset {
        name: "fleet-300",
        description: "300 instances in 3 Availability Zones (generated: t2, t3, m5, c5, r5 sizes, about 30% of capacity in use) with the sample's task definitions",
        source: PresetSource::Generated {
            base: "sample.json",
            generate: fleet::fleet_300,
        },
    },
    Preset {
        name: "fleet-1000",
        description: "1000 instances in 3 Availability Zones (generated: t2, t3, m5, c5, r5 sizes, about 30% of capacity in use) with the sample's task definitions",
        source: PresetSource::Generated {
            base: "sample.json",
            generate: fleet::fleet_1000,
        },
    },
];

/// A built-in scenario by name; an unknown name is an error that lists the known ones.
pub fn find(name: &str) -> Result<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name).ok_or_else(|| {
        let known: Vec<&str> = PRESETS.iter().map(|p| p.name).collect();
        crate::Error::invalid_input(format!(
            "there is no built-in scenario `{name}` (the built-in ones: {})",
            known.join(", ")
        ))
    })
}

/// Loads a built-in scenario by name, from the files compiled in; an unknown name is an error
/// that lists the known ones.
#[cfg(feature = "embedded-presets")]
pub fn load(name: &str) -> Result<Scenario> {
    find(name)?.load()
}

/// The sample cluster the playground opens with.
#[cfg(feature = "embedded-presets")]
pub fn sample() -> Result<Scenario> {
    load("sample")
}

/// A use case from the blog posts: a script of `aws ecs` commands on a built-in scenario. The
/// service use cases (Mariya's, Ming-ya's and Aditya's services, the EBS and EFS walkthroughs)
/// create services; their scheduler steps are in each command report's `scheduler`. Its script and
/// files are preset files (`tests/scenarios/`), named here and read like the scenarios.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Example {
    /// Short name (`jake`).
    pub name: &'static str,
    /// Title (`Jake: spread over zones, binpack memory`).
    pub title: &'static str,
    /// The preset it runs on.
    pub preset: &'static str,
    /// The file of the script (`<name>.sh`).
    pub script_file: &'static str,
    /// Files the script reads with `file://`, by name (also the name of their preset file).
    pub files: &'static [&'static str],
}

#[cfg(feature = "embedded-presets")]
impl Example {
    /// The script, from the file compiled in.
    pub fn script(&self) -> &'static str {
        embedded::text(self.script_file).unwrap_or_default()
    }
}

/// The blog use cases, in the order of the posts.
pub const EXAMPLES: &[Example] = &[
    Example {
        name: "mariya",
        title: "Mariya: one task, ten at random, then a service of 300",
        preset: "blog",
        script_file: "mariya.sh",
        files: &[],
    },
    Example {
        name: "christopher",
        title: "Christopher: spread over every host",
        preset: "blog",
        script_file: "christopher.sh",
        files: &[],
    },
    Example {
        name: "ming-ya",
        title: "Ming-ya: a monitoring service, one task per instance",
        preset: "blog",
        script_file: "ming-ya.sh",
        files: &[],
    },
    Example {
        name: "alex",
        title: "Alex: webservers next to caches",
        preset: "blog",
        script_file: "alex.sh",
        files: &[],
    },
    Example {
        name: "jake",
        title: "Jake: spread over zones, binpack memory",
        preset: "blog",
        script_file: "jake.sh",
        files: &[],
    },
    Example {
        name: "aditya",
        title: "Aditya: a GPU service (g2* is not a glob)",
        preset: "blog",
        script_file: "aditya.sh",
        files: &[],
    },
    Example {
        name: "task-placement-post",
        title: "Every other command of the Task Placement post",
        preset: "blog",
        script_file: "task-placement-post.sh",
        files: &[],
    },
    Example {
        name: "ebs-mysql",
        title: "EBS walkthrough: draining moves MySQL within its volume's zone",
        preset: "ebs-walkthrough",
        script_file: "ebs-mysql.sh",
        files: &["mysql-taskdef.json", "mysql-svcdef.json"],
    },
    Example {
        name: "efs-space",
        title: "EFS walkthrough: a four-copy service fills the ENI slots",
        preset: "efs-walkthrough",
        script_file: "efs-space.sh",
        files: &["space-taskdef-efs.json", "space-svcdef-efs.json"],
    },
    Example {
        name: "private-registry",
        title: "Private registry: the post's task on Fargate, then on EC2",
        preset: "blog",
        script_file: "private-registry.sh",
        files: &["space-td-private-registry.json"],
    },
];

/// Looks a use case up by name.
pub fn example(name: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.name == name)
}

/// [`crate::aws::FileSource`] over an example's bundled files (by name), compiled in.
#[cfg(feature = "embedded-presets")]
#[derive(Debug, Clone, Copy)]
pub struct ExampleFiles(pub &'static [&'static str]);

#[cfg(feature = "embedded-presets")]
impl crate::aws::FileSource for ExampleFiles {
    fn read(&self, path: &str) -> std::result::Result<String, String> {
        self.0
            .iter()
            .find(|name| **name == path)
            .and_then(|name| embedded::text(name))
            .map(str::to_string)
            .ok_or_else(|| format!("no file `{path}` is bundled with this example"))
    }
}

/// The preset files compiled in (the `embedded-presets` feature: the CLI and the tests).
#[cfg(feature = "embedded-presets")]
pub mod embedded {
    macro_rules! files {
        ($($folder:literal: $($name:literal),+;)+) => {
            /// Every preset file: its name and text.
            pub const FILES: &[(&str, &str)] = &[
                $($(($name, include_str!(concat!($folder, $name))),)+)+
            ];
        };
    }

    files! {
        "../presets/": "sample.json";
        "../../../tests/scenarios/": "blog-cluster.json", "ebs-cluster.json", "efs-cluster.json",
            "mariya.sh", "christopher.sh", "ming-ya.sh", "alex.sh", "jake.sh", "aditya.sh",
            "task-placement-post.sh", "ebs-mysql.sh", "mysql-taskdef.json", "mysql-svcdef.json",
            "efs-space.sh", "space-taskdef-efs.json", "space-svcdef-efs.json", "private-registry.sh",
            "space-td-private-registry.json";
    }

    /// The text of a preset file, by name.
    pub fn text(name: &str) -> Option<&'static str> {
        FILES.iter().find(|(file, _)| *file == name).map(|(_, text)| *text)
    }
}

#[cfg(all(test, feature = "embedded-presets"))]
mod tests {
    use super::*;
    use crate::aws::{Options, run_script};

    /// Every file a preset or a use case names is one of the preset files (the ones the CLI
    /// compiles in and `cargo xtask build-web` copies for the page), and every preset file is used.
    #[test]
    fn every_named_file_is_a_preset_file_and_every_file_is_named() {
        let mut named: Vec<&str> = PRESETS.iter().map(Preset::file).collect();
        for example in EXAMPLES {
            named.push(example.script_file);
            named.extend(example.files);
        }
        for file in &named {
            assert!(embedded::text(file).is_some(), "{file}");
        }
        for (file, _) in embedded::FILES {
            assert!(named.contains(file), "{file} is not used");
        }
    }

    /// Without the `generated-fleets` feature the fleets are listed, and loading one is refused.
    #[test]
    #[cfg(not(feature = "generated-fleets"))]
    fn left_out_fleets_are_listed_and_refused() {
        let text = embedded::text("sample.json").unwrap();
        for name in ["fleet-300", "fleet-1000"] {
            let error = find(name).unwrap().load_from(Some(text)).unwrap_err();
            assert_eq!(error.kind, crate::error::ErrorKind::FeatureLeftOut, "{name}");
        }
    }

    #[test]
    fn a_file_preset_reads_the_text_it_is_given() {
        let preset = find("sample").unwrap();
        assert_eq!(preset.file(), "sample.json");
        let text = embedded::text("sample.json").unwrap();
        assert_eq!(preset.load_from(Some(text)).unwrap(), sample().unwrap());
        let error = preset.load_from(None).expect_err("no text");
        assert_eq!(
            error.message,
            "the built-in scenario `sample` is read from its file `sample.json`, which was not given"
        );
        assert!(preset.load_from(Some("{")).is_err());
        let fleet = find("fleet-300").unwrap();
        assert_eq!(fleet.file(), "sample.json", "the fleets build on the sample");
        assert_eq!(fleet.load_from(Some(text)).unwrap().instances.len(), 300);
        assert!(fleet.load_from(None).is_err());
    }

    #[test]
    fn every_preset_loads() {
        for preset in PRESETS {
            load(preset.name).unwrap_or_else(|e| panic!("{}: {}", preset.name, e.detailed()));
        }
    }

    #[test]
    fn an_unknown_preset_is_an_error_naming_the_known_ones() {
        let error = load("nope").expect_err("no such preset");
        assert_eq!(error.kind, crate::ErrorKind::InvalidInput);
        assert!(
            error.message.starts_with("there is no built-in scenario `nope`"),
            "{}",
            error.message
        );
        assert!(error.message.contains("sample, "), "{}", error.message);
    }

    /// Share of the registered CPU and memory that tasks hold.
    fn used(scenario: &Scenario) -> (f64, f64) {
        let total = |f: fn(&crate::model::ContainerInstance) -> (i64, i64)| {
            scenario
                .instances
                .iter()
                .map(f)
                .fold((0, 0), |(a, b), (c, m)| (a + c, b + m))
        };
        let (cpu, memory) = total(|i| (i.registered().cpu.into(), i.registered().memory.into()));
        let (free_cpu, free_memory) = total(|i| (i.remaining().cpu.into(), i.remaining().memory.into()));
        (
            (cpu - free_cpu) as f64 / cpu as f64,
            (memory - free_memory) as f64 / memory as f64,
        )
    }

    #[test]
    fn generated_fleets_have_their_instances_and_round_trip() {
        for (name, count) in [("fleet-300", 300), ("fleet-1000", 1000)] {
            let scenario = load(name).unwrap();
            let preset = PRESETS.iter().find(|p| p.name == name).unwrap();
            assert!(
                preset
                    .description
                    .starts_with(&format!("{count} instances in 3 Availability Zones (generated")),
                "{}",
                preset.description
            );
            assert_eq!(scenario.instances.len(), count);
            assert_eq!(
                Scenario::from_json(&scenario.to_json_pretty()).unwrap(),
                scenario,
                "{name}"
            );
            assert_eq!(
                load(name).unwrap(),
                scenario,
                "{name} is generated the same way every time"
            );
            let zones: std::collections::BTreeSet<_> =
                scenario.instances.iter().map(|i| i.availability_zone()).collect();
            assert_eq!(zones.len(), 3);
            let types: std::collections::BTreeSet<_> = scenario.instances.iter().map(|i| i.instance_type()).collect();
            assert!(types.len() >= 10, "{types:?}");
            let (cpu, memory) = used(&scenario);
            assert!(
                (0.2..0.4).contains(&cpu) && (0.2..0.4).contains(&memory),
                "{name}: {cpu} {memory}"
            );
            let idle = scenario
                .instances
                .iter()
                .filter(|i| scenario.running_tasks_on(&i.container_instance_arn).next().is_none())
                .count();
            assert!(idle > count / 10 && idle < count / 2, "{name}: {idle} idle");
            assert_eq!(scenario.task_definitions, sample().unwrap().task_definitions);
        }
    }

    #[test]
    fn the_sample_task_definitions_run_on_the_fleets() {
        let mut scenario = load("fleet-300").unwrap();
        let script = "aws ecs run-task --task-definition webserver --count 10 \
              --placement-strategy type=spread,field=attribute:ecs.availability-zone type=binpack,field=memory
            aws ecs run-task --task-definition frontend --count 3 \
              --network-configuration awsvpcConfiguration={subnets=[subnet-0f1ee7a1,subnet-0f1ee7b2,subnet-0f1ee7c3]}
            aws ecs list-container-instances --filter 'attribute:stack == dev and task:group == service:web'";
        let reports = run_script(&mut scenario, script, &crate::aws::NoFiles, Options::default(), true).unwrap();
        for report in &reports {
            assert!(report.succeeded(), "{:?}", report.error.as_ref().map(|e| &e.text));
        }
        let placed = reports[0].response.as_ref().unwrap()["tasks"].as_array().unwrap().len();
        assert_eq!(placed, 10);
        assert_eq!(Scenario::from_json(&scenario.to_json_pretty()).unwrap(), scenario);
    }

    /// The page's console placeholder runs on the cluster the page opens with, and so do the
    /// sample's other task definitions.
    #[test]
    fn the_console_placeholder_runs_on_the_sample() {
        let mut scenario = sample().unwrap();
        let script = "aws ecs run-task --task-definition nouvelleApp --count 3 \
            --placement-strategy type=\"spread\",field=\"attribute:ecs.availability-zone\"
            aws ecs run-task --task-definition webserver --count 3
            aws ecs run-task --task-definition cache --count 2
            aws ecs run-task --task-definition batch-job
            aws ecs run-task --task-definition frontend \
              --network-configuration awsvpcConfiguration={subnets=[subnet-0a11aa11,subnet-0b22bb22]}";
        let reports = run_script(&mut scenario, script, &crate::aws::NoFiles, Options::default(), true).unwrap();
        assert_eq!(reports.len(), 5);
        for report in &reports {
            assert!(report.succeeded(), "{:?}", report.error.as_ref().map(|e| &e.text));
            let response = report.response.as_ref().unwrap();
            assert_eq!(response["failures"], serde_json::json!([]), "{response}");
        }
        let placeholder = reports[0].response.as_ref().unwrap();
        let zones: std::collections::BTreeSet<&str> = placeholder["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["availabilityZone"].as_str().unwrap())
            .collect();
        assert_eq!(zones.len(), 3, "spread over the three zones: {placeholder}");
    }

    #[test]
    fn every_example_runs_on_its_preset_with_its_files() {
        for example in EXAMPLES {
            let mut scenario = load(example.preset).unwrap();
            let reports = run_script(
                &mut scenario,
                example.script(),
                &ExampleFiles(example.files),
                Options::default(),
                true,
            )
            .unwrap();
            assert!(!reports.is_empty(), "{}", example.name);
            let failed: Vec<_> = reports.iter().filter(|r| !r.succeeded()).collect();
            // The private-registry walkthrough ends with the refusal of its Fargate-only task
            // definition on EC2.
            let allowed = usize::from(example.name == "private-registry");
            assert_eq!(
                failed.len(),
                allowed,
                "{}: {:?}",
                example.name,
                failed.first().and_then(|r| r.error.as_ref()).map(|e| &e.text)
            );
        }
    }
}
