# Mariya runs her application on a single node, then ten copies across any available nodes,
# then, for more than ten copies that restart when they fail, a service.
# "Amazon ECS Task Placement", use cases "Task creation", "Scaling" and "Availability".
aws ecs run-task --task-definition nouvelleApp

aws ecs run-task --task-definition nouvelleApp \
--count 10 \
--placement-strategy type="random"

# The post's create-service command has no --service-name, which the AWS CLI requires
# ("the following arguments are required: --service-name"); it is added here. The post writes
# --desiredCount (the API's member name); the playground reads it as --desired-count, with a
# warning. The 12 instances hold about 200 copies of nouvelleApp (128 CPU units each), so the
# service stays below 300 and its events say why.
aws ecs create-service --service-name nouvelleApp --task-definition nouvelleApp \
--desiredCount 300 --placement-strategy type="random"
