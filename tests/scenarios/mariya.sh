# Mariya runs her application on a single node, then ten copies across any available nodes.
# "Amazon ECS Task Placement", use case "Task creation" and "Scaling".
aws ecs run-task --task-definition nouvelleApp

aws ecs run-task --task-definition nouvelleApp \
--count 10 \
--placement-strategy type="random"
