# "Introducing private registry authentication support for AWS Fargate": register the post's
# space-td task definition (0.25 vCPU, 0.5 GB, awsvpc, FARGATE).
aws ecs register-task-definition --cli-input-json file://space-td-private-registry.json

# "Choose Actions, Run Task, and specify the Fargate launch type, your cluster, cluster VPC,
# subnets, a security group with inbound permissions for your container ports ... Enable
# auto-assigning a public IP address." The cluster's VPC has a subnet in us-east-1a and one in
# us-east-1b; the task runs in one of their zones.
aws ecs run-task --cluster default --launch-type FARGATE --task-definition space-td \
--network-configuration "awsvpcConfiguration={subnets=[subnet-0aaa1111,subnet-0bbb2222],securityGroups=[sg-0blog0000000080],assignPublicIp=ENABLED}"

# "This task definition also works with the EC2 launch type": registered for EC2 it requires
# private registry authentication, which only the m5 instances of this cluster have. On EC2 the
# network configuration has no assignPublicIp=ENABLED (the post's Fargate command has it): ECS
# answers "Assign public IP is not supported for this launch type." for tasks on instances.
aws ecs register-task-definition --family space-td-ec2 --network-mode awsvpc --cpu 256 --memory 512 \
--execution-role-arn arn:aws:iam::123456789012:role/ecsExecutionRoleDockerHub \
--container-definitions '[{"name":"space","image":"tiffanyfay/space","portMappings":[{"protocol":"tcp","containerPort":80}],"cpu":0,"repositoryCredentials":{"credentialsParameter":"arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub-AbCdEf"}}]'

aws ecs run-task --task-definition space-td-ec2 \
--network-configuration "awsvpcConfiguration={subnets=[subnet-0bbb2222]}"

# "Open the task from its ID to see the details": the Fargate task runs, in no container
# instance, in the zone of one of the subnets.
aws ecs list-tasks --cluster default --launch-type FARGATE

# The post's space-td requires FARGATE, so the EC2 launch type (the default) refuses it: that is
# why the EC2 run above registered space-td-ec2 without requiresCompatibilities.
aws ecs run-task --task-definition space-td \
--network-configuration "awsvpcConfiguration={subnets=[subnet-0bbb2222]}"
