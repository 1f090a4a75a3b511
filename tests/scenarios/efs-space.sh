# "Amazon ECS and Docker volume drivers, part 2: Amazon EFS": the Space website on a shared
# REX-Ray EFS volume, two instances in two Availability Zones, awsvpc networking.
aws ecs register-task-definition \
--cli-input-json 'file://space-taskdef-efs.json'

# Step 4: the Space service, as the post's space-svcdef-efs.json (its variables filled in; the
# post passes its two subnets as one comma-separated string, written here as two). Each awsvpc
# task takes an ENI and an m5.large has 2 task ENI slots (3 interfaces minus the primary one),
# so the 4 copies fill both instances, two per zone.
aws ecs create-service \
--region us-west-2 \
--cli-input-json file://space-svcdef-efs.json

aws ecs wait services-stable \
--region us-west-2 \
--cluster rexray-demo-efs \
--services arn:aws:ecs:us-west-2:123456789012:service/rexray-demo-efs/space-svc

# Step 6: clean up.
aws ecs update-service \
--region us-west-2 \
--cluster rexray-demo-efs \
--service arn:aws:ecs:us-west-2:123456789012:service/rexray-demo-efs/space-svc \
--desired-count 0
aws ecs delete-service \
--region us-west-2 \
--cluster rexray-demo-efs \
--service arn:aws:ecs:us-west-2:123456789012:service/rexray-demo-efs/space-svc
