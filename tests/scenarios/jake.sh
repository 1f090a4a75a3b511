# Jake spreads over Availability Zones, then binpacks on memory within each zone.
# "Amazon ECS Task Placement", use case "Availability and resource optimization".
aws ecs run-task --task-definition nouvelleApp \
--count 9 \
--placement-strategy type="spread",field="attribute:ecs.availability-zone" type="binpack",field="memory"
