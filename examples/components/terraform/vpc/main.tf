variable "name" { type = string }
variable "cidr_block" { type = string }
variable "availability_zones" { type = list(string) }
variable "region" { type = string }
variable "namespace" { type = string }
variable "tenant" { type = string }
variable "environment" { type = string }
variable "stage" { type = string }
variable "label_order" { type = list(string) }

# No cloud provider needed: terraform_data is built into Terraform.
resource "terraform_data" "vpc" {
  input = {
    id         = join("-", [var.namespace, var.tenant, var.environment, var.stage, var.name])
    cidr_block = var.cidr_block
    subnets    = [for az in var.availability_zones : "${var.region}${az}"]
  }
}

output "vpc_id" { value = terraform_data.vpc.output.id }
