// Directories: mkdir, rmdir, rename, unlink, and reading a directory of 1,000 entries with
// readdir, telldir and seekdir (path_create_directory, path_remove_directory, path_rename,
// path_unlink_file, fd_readdir and its cookies). Runs in a mutable preopen of sandbox.dir as "/".
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

#define ENTRIES 1000

static int is_directory(const char *path) {
  struct stat info;
  return stat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

static int exists(const char *path) {
  struct stat info;
  return lstat(path, &info) == 0;
}

// Reads `path` to the end; counts the entries other than "." and "..", which must be the files
// f0..f999 each once (seen[]); `dots` counts "." and "..".
static int read_all(DIR *directory, unsigned char *seen, int *dots) {
  int count = 0;
  struct dirent *entry;
  *dots = 0;
  memset(seen, 0, ENTRIES);
  while ((entry = readdir(directory))) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) {
      (*dots)++;
      continue;
    }
    int number = atoi(entry->d_name + 1);
    if (entry->d_name[0] != 'f' || number < 0 || number >= ENTRIES || seen[number] || entry->d_type != DT_REG) return -1;
    seen[number] = 1;
    count++;
  }
  return count;
}

int main(void) {
  CHECK(mkdir("a", 0755) == 0 && is_directory("a"), "mkdir a");
  CHECK_ERRNO(mkdir("a", 0755), EEXIST, "mkdir a again");
  CHECK(mkdir("a/b", 0755) == 0 && is_directory("a/b"), "mkdir a/b");
  CHECK_ERRNO(mkdir("missing/b", 0755), ENOENT, "mkdir in a missing directory");
  CHECK_ERRNO(rmdir("a"), ENOTEMPTY, "rmdir a non-empty directory");
  CHECK(rename("a/b", "a/c") == 0 && is_directory("a/c") && !exists("a/b"), "rename a/b to a/c");
  CHECK(rename("a/c", "c") == 0 && is_directory("c") && !exists("a/c"), "rename a/c to c, up one level");
  int fd = open("a/file", O_CREAT | O_WRONLY, 0644);
  CHECK(fd >= 0 && close(fd) == 0, "create a/file");
  CHECK(rename("a/file", "c/file") == 0 && exists("c/file") && !exists("a/file"), "move a/file into c");
  CHECK(rename("data.txt", "c/file") == 0 && exists("c/file") && !exists("data.txt"), "rename over an existing file");
  CHECK_ERRNO(rename("a", "c/file"), ENOTDIR, "rename a directory over a file");
  CHECK_ERRNO(rmdir("c/file"), ENOTDIR, "rmdir a file");
  CHECK_ERRNO(unlink("c"), EISDIR, "unlink a directory");
  CHECK(unlink("c/file") == 0 && !exists("c/file"), "unlink c/file");
  CHECK_ERRNO(unlink("c/file"), ENOENT, "unlink it again");
  CHECK(rmdir("c") == 0 && !exists("c"), "rmdir c");
  CHECK(rmdir("a") == 0 && !exists("a"), "rmdir a");

  // A directory of 1,000 files.
  CHECK(mkdir("many", 0755) == 0, "mkdir many");
  int created = 0;
  for (int i = 0; i < ENTRIES; i++) {
    char name[32];
    snprintf(name, sizeof name, "many/f%d", i);
    fd = open(name, O_CREAT | O_WRONLY, 0644);
    if (fd >= 0 && close(fd) == 0) created++;
  }
  CHECK(created == ENTRIES, "create %d files in many", ENTRIES);
  static unsigned char seen[ENTRIES];
  int dots;
  DIR *directory = opendir("many");
  CHECK(directory != NULL, "opendir many");
  CHECK(read_all(directory, seen, &dots) == ENTRIES && dots == 2, "readdir gives each of the %d files once, and . and ..", ENTRIES);
  rewinddir(directory);
  CHECK(read_all(directory, seen, &dots) == ENTRIES && dots == 2, "after rewinddir, the same again");

  // telldir and seekdir: remember the positions before the 10th, 500th and 900th entries, read
  // on, then come back to each.
  rewinddir(directory);
  struct dirent *entry;
  long positions[3] = {0};
  char names[3][32] = {{0}};
  int index = 0, consumed = 0;
  for (;;) {
    if (index < 3 && consumed == (index == 0 ? 9 : index == 1 ? 499 : 899)) {
      positions[index] = telldir(directory);
      entry = readdir(directory);
      if (!entry) break;
      snprintf(names[index], sizeof names[index], "%s", entry->d_name);
      index++;
    } else if (!(entry = readdir(directory))) {
      break;
    }
    consumed++;
  }
  CHECK(index == 3 && consumed == ENTRIES + 2, "telldir at three places while reading all %d entries", ENTRIES + 2);
  for (int i = 2; i >= 0; i--) {
    seekdir(directory, positions[i]);
    entry = readdir(directory);
    CHECK(entry && strcmp(entry->d_name, names[i]) == 0, "seekdir back to the position of telldir #%d gives the same entry", i + 1);
  }
  seekdir(directory, positions[1]);
  int rest = 0;
  while (readdir(directory)) rest++;
  CHECK(rest == ENTRIES + 2 - 499, "after seekdir to telldir #2, readdir goes on to the end (%d entries)", ENTRIES + 2 - 499);
  CHECK(closedir(directory) == 0, "closedir");

  // Remove every file (after reading them all: which entries a reading sees when the directory
  // changes under it is unspecified), then the directory is empty.
  directory = opendir("many");
  static char listed[ENTRIES][16];
  int count = 0;
  while ((entry = readdir(directory)))
    if (entry->d_name[0] == 'f' && count < ENTRIES) snprintf(listed[count++], sizeof listed[0], "%s", entry->d_name);
  closedir(directory);
  int removed = 0;
  for (int i = 0; i < count; i++) {
    char name[32];
    snprintf(name, sizeof name, "many/%s", listed[i]);
    if (unlink(name) == 0) removed++;
  }
  CHECK(removed == ENTRIES, "unlink each file");
  directory = opendir("many");
  CHECK(read_all(directory, seen, &dots) == 0 && dots == 2, "the directory is then empty but for . and ..");
  closedir(directory);
  CHECK(rmdir("many") == 0, "rmdir many");
  CHECKS_DONE();
}
