variable "name" { type = string }
variable "engine" { type = string }
variable "node_type" { type = string }
variable "num_nodes" { type = number }
variable "tags" { type = map(string) }
variable "region" { type = string }
variable "namespace" { type = string }
variable "tenant" { type = string }
variable "environment" { type = string }
variable "stage" { type = string }
variable "label_order" { type = list(string) }

resource "terraform_data" "cluster" {
  input = {
    id        = join("-", [var.namespace, var.tenant, var.environment, var.stage, var.name])
    engine    = var.engine
    node_type = var.node_type
    nodes     = var.num_nodes
    tags      = var.tags
  }
}

output "cluster_id" { value = terraform_data.cluster.output.id }
