using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Tests;

public class StopDiagnosisTests
{
    private static ContainerDetails Stopped(long exitCode, string command = "php-fpm8.2 -F", string image = "127.0.0.1:5055/lab/web:1", string signal = "SIGTERM",
        bool init = false, bool oom = false) => new()
    {
        Node = "node1", Id = "c1", Name = "web", Image = image, ImageId = "sha256:1", RepoDigests = [], Command = command, Environment = [], Ports = [], Mounts = [],
        Labels = new Dictionary<string, string>(), State = ContainerState.Exited, Health = ContainerHealth.None, HealthLog = [], StopSignal = signal,
        StopTimeoutSeconds = 3, ExitCode = exitCode, OomKilled = oom, Init = init, NetworkMode = "host", RestartPolicy = "no",
    };

    [Theory]
    [InlineData(0)]
    [InlineData(143)] // died of SIGTERM: the signal worked
    [InlineData(1)]
    public void AStopThatEndedOnItsOwn_IsNoKill(long exitCode) => Assert.Null(StopDiagnosis.Of(Stopped(exitCode), null));

    [Fact]
    public void Exit137_FromTheOomKiller_OrWithSigkillAsStopSignal_IsNoHungStop()
    {
        Assert.Null(StopDiagnosis.Of(Stopped(137, oom: true), null));
        Assert.Null(StopDiagnosis.Of(Stopped(137, signal: "SIGKILL"), null));
    }

    [Fact]
    public void AKill_UsesTheTimeoutTheStopWasGiven_ElseTheContainersOwn_AndIsRecognisedInAStepDetail()
    {
        Assert.Equal(3, StopDiagnosis.Of(Stopped(137), null)!.TimeoutSeconds);
        var killed = StopDiagnosis.Of(Stopped(137), TimeSpan.FromSeconds(20))!;
        Assert.Equal(20, killed.TimeoutSeconds);
        Assert.StartsWith("killed after the 20 s stop timeout (exit 137): PID 1 (php-fpm8.2 -F) did not exit on SIGTERM", killed.ToString(), StringComparison.Ordinal);
        Assert.True(StopDiagnosis.IsKill(killed.ToString()));
        Assert.False(StopDiagnosis.IsKill("drained in 0.2 s"));
    }

    [Theory]
    [InlineData("sh -c while true; do sleep 1; done", "PID 1 is a shell (sh -c while true; do sleep 1; done): unless it execs the program")]
    [InlineData("/bin/bash /entrypoint.sh", "PID 1 is a shell (/bin/bash /entrypoint.sh)")]
    [InlineData("sh -c exec php-fpm8.2 -F", "PID 1 (sh -c exec php-fpm8.2 -F) did not exit on SIGTERM")]
    [InlineData("nginx -g daemon off;", "PID 1 (nginx -g daemon off;) did not exit on SIGTERM")]
    public void TheCause_TellsAShellThatDoesNotExec_FromAProgramAsPid1(string command, string cause) =>
        Assert.StartsWith(cause, StopDiagnosis.LikelyCause("SIGTERM", init: false, command, "lab/web"), StringComparison.Ordinal);

    [Fact]
    public void UnderInit_TheProgramItselfIgnoredTheSignal_AndPhpFpmOrNginxWithSigterm_GetTheSigquitHint()
    {
        var cause = StopDiagnosis.LikelyCause("SIGTERM", init: true, "sh -c sleep 100", "127.0.0.1:5055/lab/php-fpm:2");
        Assert.StartsWith("the program did not exit on SIGTERM, which the init process passed on to it", cause, StringComparison.Ordinal);
        Assert.EndsWith("php-fpm stops gracefully on SIGQUIT, not SIGTERM: set stopSignal to SIGQUIT.", cause, StringComparison.Ordinal);
        Assert.True(StopDiagnosis.LooksLikeQuitToStop("registry:5000/shop/nginx@sha256:abc"));
        Assert.False(StopDiagnosis.LooksLikeQuitToStop("registry:5000/nginx-team/api:1"));
        Assert.DoesNotContain("stops gracefully on SIGQUIT", StopDiagnosis.LikelyCause("SIGQUIT", init: false, "php-fpm8.2 -F", "lab/php-fpm"), StringComparison.Ordinal);
    }
}
