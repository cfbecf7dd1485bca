<?php
// The seed's stand-in app: busy-waits ?ms= milliseconds (at most 10 s) so a request stays in flight,
// then prints the image's version. Any method; a POST body is read and discarded.
$ms = max(0, min(10000, (int) ($_GET['ms'] ?? 0)));
file_get_contents('php://input');
$until = hrtime(true) + $ms * 1000000;
while (hrtime(true) < $until) {
}
header('Content-Type: text/plain');
readfile('/srv/app/version');
