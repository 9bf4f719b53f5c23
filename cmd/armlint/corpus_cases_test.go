package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// corpusCase is a hand-picked template of the quickstart corpus (the Q
// numbers of the corpus notes): rules that must report in it, and rules
// that must stay silent because the template does the right thing.
type corpusCase struct {
	q      string
	file   string
	want   []string // each must report at least once
	silent []string // none may report
}

var corpusCases = []corpusCase{
	{"Q2", "quickstarts/microsoft.storage/storage-blob-encryption-with-cmk/azuredeploy.json", nil,
		[]string{"AL1101", "AL1102", "AL1302", "AL1305"}},
	{"Q3", "quickstarts/microsoft.app/container-app-acr/azuredeploy.json", []string{"AL1201"}, nil},
	{"Q4", "quickstarts/microsoft.compute/vm-msi-linux-terraform/azuredeploy.json", []string{"AL1201", "AL1202", "AL1206"},
		[]string{"AL1301"}},
	{"Q5", "quickstarts/microsoft.appplatform/microservice-apps-enterprise-plan/azuredeploy.json", []string{"AL1201", "AL1202"}, nil},
	{"Q6", "quickstarts/microsoft.devcenter/deployment-environments/azuredeploy.json", []string{"AL1201", "AL1202", "AL1204"},
		[]string{"AL1301"}},
	{"Q7", "quickstarts/microsoft.resources/deployment-script-ssh-key-gen/azuredeploy.json", []string{"AL1201"},
		[]string{"AL1301", "AL1305"}},
	{"Q9", "quickstarts/microsoft.network/azure-firewall-dns-proxy/azuredeploy.json", []string{"AL1201"}, []string{"AL1301"}},
	{"Q10", "tenant-deployments/tenant-role-assignment/azuredeploy.json", nil, []string{"AL1201", "AL1202", "AL1401", "AL1404"}},
	{"Q11", "application-workloads/minio/minio-azure-gateway/azuredeploy.json", []string{"AL1201", "AL1301", "AL1305"}, nil},
	{"Q12", "application-workloads/darktrace/darktrace-vsensor-autoscaling/azuredeploy.json", []string{"AL1301", "AL1303"},
		[]string{"AL1203"}},
	{"Q13", "application-workloads/hazelcase/hazelcast-vm-cluster/azuredeploy.json", nil, []string{"AL1301"}},
	{"Q14", "quickstarts/microsoft.recoveryservices/recovery-services-vm-replication-and-disaster-recovery/azuredeploy.json", nil,
		[]string{"AL1301", "AL1303", "AL1306"}},
	{"Q15", "quickstarts/microsoft.healthcareapis/workspaces/iotconnectors/azuredeploy.json", nil, []string{"AL1301", "AL1306"}},
	{"Q16", "subscription-deployments/subscription-role-assignment/azuredeploy.json", nil, []string{"AL1201", "AL1401", "AL1404"}},
	{"Q17", "quickstarts/microsoft.authorization/rbac-builtinrole-resourcegroup/azuredeploy.json", nil, []string{"AL1201", "AL1401"}},
	{"Q23", "quickstarts/microsoft.network/aks-application-gateway-ingress-controller/azuredeploy.json", nil, []string{"AL1402"}},
	{"Q24", "quickstarts/microsoft.machinelearningservices/machine-learning-dependencies-role-assignment/prereqs/prereq.azuredeploy.json", nil,
		[]string{"AL1402"}},
	{"Q25", "quickstarts/microsoft.app/container-app-acr/azuredeploy.json", []string{"AL1305"}, nil},
	{"Q26", "quickstarts/microsoft.containerinstance/aci-sftp-files/azuredeploy.json", []string{"AL1201", "AL1305"}, nil},
	{"Q28", "application-workloads/sql/sql-encryption-protector-byok/azuredeploy.json", nil, []string{"AL1302", "AL1305", "AL1301"}},
}

// TestCorpusCases checks the hand-picked corpus templates: the problems
// they have are found, and the patterns they get right are not reported.
func TestCorpusCases(t *testing.T) {
	corpus := filepath.Join(repoRoot, "..", "shared", "corpus", "quickstart")
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("the quickstart corpus is not available (%v); it lives in ../shared beside the repository", err)
	}
	for _, c := range corpusCases {
		t.Run(c.q, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Run([]string{"-f", "json", filepath.Join(corpus, c.file)}, nil, &stdout, &stderr); code > exitFindings {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			var out struct {
				Findings []struct {
					RuleID  string `json:"rule_id"`
					Message string `json:"message"`
				} `json:"findings"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{}
			for _, f := range out.Findings {
				got[f.RuleID] = append(got[f.RuleID], f.Message)
			}
			for _, id := range c.want {
				if len(got[id]) == 0 {
					t.Errorf("%s (%s): no %s finding", c.q, c.file, id)
				}
			}
			for _, id := range c.silent {
				for _, m := range got[id] {
					t.Errorf("%s (%s): unexpected %s: %s", c.q, c.file, id, m)
				}
			}
		})
	}
}
