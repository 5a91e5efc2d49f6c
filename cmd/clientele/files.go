package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/files"
	"github.com/clientele/clientele/imaging"
)

// fileFlags say where image bytes live and how uploads are processed.
type fileFlags struct {
	url       string
	sweep     time.Duration
	grace     time.Duration
	memoryMiB int64
}

func addFileFlags(fs *flag.FlagSet, getenv func(string) string, ff *fileFlags) {
	fs.StringVar(&ff.url, "files-url", getenv("CLIENTELE_FILES_URL"),
		"s3://bucket/prefix to keep logos and images in a bucket (endpoint and keys from CLIENTELE_S3_ENDPOINT, "+
			"AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, CLIENTELE_S3_INSECURE); default: <data-dir>/files (env CLIENTELE_FILES_URL)")
	fs.DurationVar(&ff.sweep, "files-sweep-interval", time.Hour, "how often to delete files no record references (0: never)")
	fs.DurationVar(&ff.grace, "files-grace", time.Hour, "how old an unreferenced file must be before the sweep deletes it")
	fs.Int64Var(&ff.memoryMiB, "image-memory", imaging.DefaultBudget>>20,
		"MiB of decoded and scaled pixels all uploads being processed may hold at once; the others wait")
}

// open returns the file store the flags name.
func (ff fileFlags) open(ctx context.Context, dataDir string, getenv func(string) string) (clientele.Files, error) {
	if ff.url == "" {
		return files.OpenDir(filepath.Join(dataDir, "files"))
	}
	if !strings.HasPrefix(ff.url, "s3://") {
		return nil, fmt.Errorf("--files-url must be s3://bucket/prefix")
	}
	insecure := getenv("CLIENTELE_S3_INSECURE")
	return files.OpenS3(ctx, ff.url, files.S3Config{Endpoint: getenv("CLIENTELE_S3_ENDPOINT"),
		AccessKey: getenv("AWS_ACCESS_KEY_ID"), SecretKey: getenv("AWS_SECRET_ACCESS_KEY"),
		Region: getenv("AWS_REGION"), Insecure: insecure == "1" || strings.EqualFold(insecure, "true")})
}

// sweepFiles runs the file sweep every interval until ctx ends. Every node
// may run it: deleting what no row references is safe twice.
func sweepFiles(ctx context.Context, svc *clientele.Service, log *slog.Logger, interval, grace time.Duration) {
	if interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := svc.SweepFiles(ctx, grace)
		if err != nil && ctx.Err() == nil {
			log.Warn("files: sweep failed", "err", err)
		} else if n > 0 {
			log.Info("files: sweep deleted unreferenced images", "keys", n)
		}
	}
}
