using ControlPanel.Core.Traffic;

namespace ControlPanel.Core.Tests.Traffic;

public sealed class TcpConnectionTableTests
{
    // /proc/net/tcp and tcp6 as Linux prints them: port 9000 (0x2328) listening, two established connections to it,
    // one in SYN_RECV, one closing (TIME_WAIT), and nginx's own side of a connection (remote port 9000) that is not
    // the replica's work; port 9001 (0x2329) on IPv6.
    private const string Table = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:2328 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
           1: 0100007F:2328 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000 20 4 30 10 -1
           2: 0100007F:2328 0100007F:D433 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0000000000000000 20 4 30 10 -1
           3: 0100007F:2328 0100007F:D435 03 00000000:00000000 00:00000000 00000000     0        0 4 1 0000000000000000 20 4 30 10 -1
           4: 0100007F:2328 0100007F:D437 06 00000000:00000000 00:00000000 00000000     0        0 0 3 0000000000000000
           5: 0100007F:D431 0100007F:2328 01 00000000:00000000 00:00000000 00000000     0        0 5 1 0000000000000000 20 4 30 10 -1
          sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000000000000000000001000000:2329 00000000000000000000000001000000:E001 01 00000000:00000000 00:00000000 00000000     0        0 6 1 0000000000000000 20 4 30 10 -1
        """;

    [Fact]
    public void CountsEstablishedAndArrivingConnectionsOnTheReplicasPorts_Only()
    {
        Assert.Equal(3, TcpConnectionTable.CountServing(Table, new HashSet<int> { 9000 }));
        Assert.Equal(1, TcpConnectionTable.CountServing(Table, new HashSet<int> { 9001 }));
        Assert.Equal(4, TcpConnectionTable.CountServing(Table, new HashSet<int> { 9000, 9001 }));
        Assert.Equal(0, TcpConnectionTable.CountServing(Table, new HashSet<int> { 80 }));
        Assert.Equal(0, TcpConnectionTable.CountServing("", new HashSet<int> { 9000 }));
    }
}
