# "Amazon ECS and Docker volume drivers, part 2: Amazon EFS": the Space website on a shared
# REX-Ray EFS volume, two instances in two Availability Zones, awsvpc networking.
aws ecs register-task-definition \
--cli-input-json 'file://space-taskdef-efs.json'

# The post's service runs 4 copies; each awsvpc task takes an ENI and an m5.large has 2 task
# ENI slots (3 interfaces minus the primary one), so 4 copies fill both instances.
aws ecs run-task --cluster rexray-demo-efs --task-definition rexray-efs --count 4 \
--network-configuration "awsvpcConfiguration={subnets=[subnet-0efs2a00,subnet-0efs2b00],securityGroups=[sg-0efs0000,sg-0inst000]}"

# A fifth copy finds no free ENI slot (RESOURCE:ENI).
aws ecs run-task --cluster rexray-demo-efs --task-definition rexray-efs \
--network-configuration "awsvpcConfiguration={subnets=[subnet-0efs2a00,subnet-0efs2b00],securityGroups=[sg-0efs0000,sg-0inst000]}"
