# Christopher spreads his tasks over all the instances of the cluster (spread over host names).
# "Amazon ECS Task Placement", use case "Availability".
aws ecs run-task --task-definition nouvelleApp \
--count 9 \
--placement-strategy type="spread",field="host"
