# "Introducing private registry authentication support for AWS Fargate": the space-td task
# definition requires FARGATE, so the EC2 launch type refuses it. (The post runs it with
# --launch-type FARGATE; this step is to become that once the playground runs Fargate tasks.)
aws ecs register-task-definition --cli-input-json file://space-td-private-registry.json

aws ecs run-task --task-definition space-td \
--network-configuration "awsvpcConfiguration={subnets=[subnet-0bbb2222],assignPublicIp=ENABLED}"

# "This task definition also works with the EC2 launch type": registered for EC2 it requires
# private registry authentication, which only the m5 instances of this cluster have. On EC2 the
# network configuration has no assignPublicIp=ENABLED (the post's Fargate command has it): ECS
# answers "Assign public IP is not supported for this launch type." for tasks on instances.
aws ecs register-task-definition --family space-td-ec2 --network-mode awsvpc --cpu 256 --memory 512 \
--execution-role-arn arn:aws:iam::123456789012:role/ecsExecutionRoleDockerHub \
--container-definitions '[{"name":"space","image":"tiffanyfay/space","portMappings":[{"protocol":"tcp","containerPort":80}],"cpu":0,"repositoryCredentials":{"credentialsParameter":"arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub-AbCdEf"}}]'

aws ecs run-task --task-definition space-td-ec2 \
--network-configuration "awsvpcConfiguration={subnets=[subnet-0bbb2222]}"
