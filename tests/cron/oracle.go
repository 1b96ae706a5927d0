// The schedule parser the Kubernetes API server validates CronJobs with
// (k8s.io/kubernetes/pkg/apis/batch/validation calls cron.ParseStandard of
// robfig/cron v3.0.1), as an oracle for tiers' own cron checks: one schedule
// per line of stdin, "ok" or "error" per line of stdout.
package main

import (
	"bufio"
	"fmt"
	"os"

	cron "github.com/robfig/cron"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if _, err := cron.ParseStandard(in.Text()); err != nil {
			fmt.Println("error")
		} else {
			fmt.Println("ok")
		}
	}
}
