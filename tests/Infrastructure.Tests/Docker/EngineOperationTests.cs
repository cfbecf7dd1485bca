using ControlPanel.Infrastructure.Docker.Telemetry;

namespace ControlPanel.Infrastructure.Tests.Docker;

/// <summary>Engine calls are named by what they do, so no container id or image name becomes a metric label.</summary>
public sealed class EngineOperationTests
{
    [Theory]
    [InlineData("GET", "/containers/json?all=true", "containers.list")]
    [InlineData("GET", "/v1.41/containers/json", "containers.list")]
    [InlineData("POST", "/containers/create?name=web-1", "containers.create")]
    [InlineData("GET", "/containers/3f2a9c/json", "containers.inspect")]
    [InlineData("POST", "/containers/3f2a9c/start", "containers.start")]
    [InlineData("POST", "/v1.41/containers/3f2a9c/kill?signal=SIGQUIT", "containers.kill")]
    [InlineData("GET", "/containers/3f2a9c/logs?follow=1", "containers.logs")]
    [InlineData("GET", "/containers/3f2a9c/stats?stream=false", "containers.stats")]
    [InlineData("POST", "/containers/3f2a9c/exec", "containers.exec")]
    [InlineData("DELETE", "/containers/3f2a9c?force=true", "containers.remove")]
    [InlineData("POST", "/exec/91bd/start", "exec.start")]
    [InlineData("POST", "/images/create?fromImage=127.0.0.1:5055/lab/web:1", "images.pull")]
    [InlineData("GET", "/images/127.0.0.1:5055/lab/web:1/json", "images.inspect")]
    [InlineData("POST", "/images/127.0.0.1:5055/lab/web/push?tag=1", "images.push")]
    [InlineData("DELETE", "/images/127.0.0.1:5055/lab/web:1", "images.remove")]
    [InlineData("POST", "/build?t=web:1", "build")]
    [InlineData("GET", "/events?filters=x", "events")]
    [InlineData("GET", "/info", "info")]
    [InlineData("GET", "/_ping", "ping")]
    [InlineData("GET", "/no/such/thing", "other")]
    public void Of_NamesTheOperation_NeverThePath(string method, string path, string expected) =>
        Assert.Equal(expected, EngineOperation.Of(new HttpMethod(method), new Uri("http://docker" + path)));
}
