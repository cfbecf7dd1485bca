using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;

namespace ControlPanel.Core.Tests.Releases;

public sealed class ReplicaFactoryTests
{
    private static readonly NodeDefinition Node = new("node1", "unix:///var/run/docker.sock", new Dictionary<string, string>());
    private static readonly Deployment Deployment = new() { Id = Guid.NewGuid(), Service = "api", Release = 2, StartedBy = "alice", StartedAt = DateTimeOffset.UnixEpoch };

    /// <summary>Stands in for the key ring: "enc:" + value, and a value it never wrote cannot be read (keys lost).</summary>
    private sealed class PrefixProtector : ISecretProtector
    {
        public string Protect(string value) => "enc:" + value;

        public string Unprotect(string protectedValue) => protectedValue.StartsWith("enc:", StringComparison.Ordinal)
            ? protectedValue[4..]
            : throw new InvalidRequestException("runtime.environment", "A secret value can no longer be decrypted; set it again.");
    }

    private static Release ReleaseWith(IReadOnlyList<PortSpec> ports, IReadOnlyList<EnvironmentValue>? environment = null) => new()
    {
        Service = "api", Number = 2, Image = "127.0.0.1:5055/api", Tag = "v2", Digest = "sha256:" + new string('a', 64),
        ServiceRevision = 1, CreatedBy = "alice", CreatedAt = DateTimeOffset.UnixEpoch,
        Spec = new RuntimeSpec { Ports = ports, Environment = environment ?? [] },
    };

    [Theory]
    [InlineData(3)]
    [InlineData(57)]
    [InlineData(63)]
    public void ReplicaNames_OfAnyServiceName_StayUniqueAndWithin63Characters(int length)
    {
        var service = new string('s', length);

        var names = Enumerable.Range(0, 1000).Select(_ => ReplicaFactory.ReplicaName(service, slot: 12, release: 1234)).ToList();

        Assert.Equal(1000, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.InRange(n.Length, 1, 63));
        Assert.All(names, n => Assert.Matches("-12-r1234-[0-9a-f]{12}$", n));
    }

    [Fact]
    public void Create_WhenALaterPortRangeIsFull_FreesThePortsItChoseBeforeIt()
    {
        var factory = new ReplicaFactory(new PrefixProtector());
        var threePorts = ReleaseWith([new PortSpec("HTTP", RangeStart: 9000, RangeEnd: 9001), new PortSpec("ADMIN", RangeStart: 9100, RangeEnd: 9101), new PortSpec("DEBUG", RangeStart: 9200, RangeEnd: 9200)]);
        var first = factory.Create(Deployment, threePorts, Node, 0);
        Assert.Equal("9000", first.Labels[ReplicaLabels.PortPrefix + "HTTP"]);

        var full = Assert.Throws<InvalidRequestException>(() => factory.Create(Deployment, threePorts, Node, 1));
        Assert.Contains("no free port left in 9200–9200", full.Message);

        // Had the failed replica kept 9001 and 9101, a replica needing only those two names would find no port.
        var twoPorts = ReleaseWith([new PortSpec("HTTP", RangeStart: 9000, RangeEnd: 9001), new PortSpec("ADMIN", RangeStart: 9100, RangeEnd: 9101)]);
        var next = factory.Create(Deployment, twoPorts, Node, 1);
        Assert.Equal("9001", next.Labels[ReplicaLabels.PortPrefix + "HTTP"]);
        Assert.Equal("9101", next.Labels[ReplicaLabels.PortPrefix + "ADMIN"]);
    }

    [Fact]
    public void Environment_DecryptsSecretsAndNamesTheValueItCannotRead()
    {
        var factory = new ReplicaFactory(new PrefixProtector());
        var readable = ReleaseWith([], [new EnvironmentValue("GREETING", "hello"), new EnvironmentValue("TOKEN", "enc:s3cret", Secret: true)]);
        Assert.Equal(["GREETING=hello", "TOKEN=s3cret"], factory.Environment(readable));

        var lost = ReleaseWith([], [new EnvironmentValue("TOKEN", "written-under-old-keys", Secret: true)]);
        var error = Assert.Throws<InvalidRequestException>(() => factory.Environment(lost));
        Assert.Equal("runtime.environment", error.Field);
    }
}
