package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/files"
	"github.com/clientele/clientele/imaging"
)

// fileFlags say where image bytes live and how uploads are processed.
type fileFlags struct {
	url                              string
	sweepFlag, graceFlag, memoryFlag string
	sweep, grace                     time.Duration
	memoryMiB                        int64
}

func addFileFlags(fs *flag.FlagSet, getenv func(string) string, ff *fileFlags) {
	fs.StringVar(&ff.url, "files-url", getenv("CLIENTELE_FILES_URL"),
		"s3://bucket/prefix to keep logos and images in a bucket (endpoint and keys from CLIENTELE_S3_ENDPOINT, "+
			"AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, CLIENTELE_S3_INSECURE); default: <data-dir>/files (env CLIENTELE_FILES_URL)")
	fs.StringVar(&ff.sweepFlag, "files-sweep-interval", envOr(getenv, "CLIENTELE_FILES_SWEEP_INTERVAL", "1h"),
		"how often to delete files no record references (0: never) (env CLIENTELE_FILES_SWEEP_INTERVAL)")
	fs.StringVar(&ff.graceFlag, "files-grace", envOr(getenv, "CLIENTELE_FILES_GRACE", "1h"),
		fmt.Sprintf("how old an unreferenced file must be before the sweep deletes it, at least %s (env CLIENTELE_FILES_GRACE)", minFilesGrace))
	fs.StringVar(&ff.memoryFlag, "image-memory", envOr(getenv, "CLIENTELE_IMAGE_MEMORY", strconv.Itoa(imaging.DefaultBudget>>20)),
		"MiB of decoded and scaled pixels all uploads being processed may hold at once; the others wait (env CLIENTELE_IMAGE_MEMORY)")
}

// minFilesGrace is the shortest --files-grace: an upload's files are stored
// before the transaction that references them commits, and that transaction
// may wait for the write lock and run for up to the write timeout; a sweep
// with a shorter grace could delete the files of an upload about to commit.
const minFilesGrace = 10 * time.Minute

// parse checks the flags' values.
func (ff *fileFlags) parse() error {
	var err error
	if ff.sweep, err = time.ParseDuration(ff.sweepFlag); err != nil || ff.sweep < 0 {
		return fmt.Errorf("--files-sweep-interval must be a duration such as 1h, 0 or more")
	}
	if ff.grace, err = time.ParseDuration(ff.graceFlag); err != nil || ff.grace < minFilesGrace {
		return fmt.Errorf("--files-grace must be a duration of at least %s", minFilesGrace)
	}
	if ff.memoryMiB, err = strconv.ParseInt(ff.memoryFlag, 10, 64); err != nil || ff.memoryMiB < 1 {
		return fmt.Errorf("--image-memory must be a whole number of MiB, 1 or more")
	}
	return nil
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
