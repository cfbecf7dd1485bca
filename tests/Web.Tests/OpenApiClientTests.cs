using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>
/// A client generated from /openapi/v1.json, as a team scripting the panel would generate one, compiles and drives the
/// real panel: it saves a service definition, reads it back field for field, and sends what it read back unchanged.
/// </summary>
public sealed class OpenApiClientTests : BuildTestBase
{
    // Compiled against the generated client: it only builds if the document gives every type and member it names.
    private const string Usage = """
        using System.Collections.Generic;
        using System.Net.Http;
        using System.Threading.Tasks;
        using Generated;
        using Generated.Models;
        using Microsoft.Kiota.Abstractions.Authentication;
        using Microsoft.Kiota.Http.HttpClientLibrary;

        public sealed record RoundTrip(ServiceSavedDto Created, ServiceDto Read, ServiceSavedDto Resaved, IReadOnlyList<string> RefusedFields);

        public static class Usage
        {
            public static async Task<RoundTrip> RoundTripAsync(HttpClient http, string name, string repositoryUrl, string node)
            {
                var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') };
                var service = new PanelClient(adapter).Api.Services[name];
                var created = await service.PutAsync(new BuildSettingsDto
                {
                    Registry = "lab", ImageRepository = "tests/" + name, RepositoryUrl = repositoryUrl, Branch = "main", DockerfilePath = "build/Dockerfile",
                    BuildArgs = new BuildSettingsDto_buildArgs { AdditionalData = new Dictionary<string, object> { ["MODE"] = "fast" } },
                    Runtime = new RuntimeSpec
                    {
                        Nodes = [node], ReplicasPerNode = 2,
                        Environment = [new EnvironmentValue { Name = "GREETING", Value = "hello" }],
                        Ports = [new PortSpec { Name = "PORT", RangeStart = 31000, RangeEnd = 31099 }],
                        Health = HealthKind.Http, HttpProbe = new HttpProbe { Path = "/health", PortName = "PORT", TimeoutSeconds = 3 },
                        StopSignal = "SIGQUIT", StopTimeoutSeconds = 20, MemoryMb = 64, Cpus = 0.5, DrainDelaySeconds = 1,
                        Labels = new RuntimeSpec_labels { AdditionalData = new Dictionary<string, object> { ["team"] = "shop" } },
                        Update = new UpdatePolicy { Parallelism = 2, Order = UpdateOrder.StartFirst, MonitorSeconds = 5, FailureAction = FailureAction.Pause },
                    },
                });
                var read = await service.GetAsync();
                var resaved = await service.PutAsync(new BuildSettingsDto
                {
                    Registry = read!.Build!.Registry, ImageRepository = read.Build.ImageRepository, RepositoryUrl = read.Build.RepositoryUrl,
                    Branch = read.Build.Branch, DockerfilePath = read.Build.DockerfilePath, ContextPath = read.Build.ContextPath,
                    BuildArgs = new BuildSettingsDto_buildArgs { AdditionalData = read.Build.BuildArgs!.AdditionalData },
                    SecretBuildArgs = read.Build.SecretBuildArgs, Runtime = read.Runtime,
                });
                try
                {
                    await service.PutAsync(new BuildSettingsDto { Registry = "no-such-registry", ImageRepository = "tests/" + name });
                    return new RoundTrip(created!, read, resaved!, []);
                }
                catch (HttpValidationProblemDetails problem)
                {
                    return new RoundTrip(created!, read, resaved!, [.. problem.Errors!.AdditionalData.Keys]);
                }
            }
        }
        """;

    [Fact]
    public async Task AGeneratedClient_Compiles_AndRoundTripsAServiceDefinition()
    {
        Repo.Write("build/Dockerfile", "FROM scratch\n").Commit("first");
        var client = await GeneratedClient.BuildAsync(await Deployer.GetStringAsync("/openapi/v1.json"), Usage);

        var roundTrip = client.GetType("Usage")!.GetMethod("RoundTripAsync")!.Invoke(null, [Deployer, $"oas-{Unique}", Repo.Path, Lab.SharedNodes[0].Name]);
        dynamic trip = await (dynamic)roundTrip!;

        Assert.True((bool)trip.Created.Changed);
        dynamic build = trip.Read.Build, runtime = trip.Read.Runtime;
        Assert.Equal(("lab", $"tests/oas-{Unique}", Repo.Path, "main", "build/Dockerfile", "."),
            ((string)build.Registry, (string)build.ImageRepository, (string)build.RepositoryUrl, (string)build.Branch, (string)build.DockerfilePath, (string)build.ContextPath));
        Assert.Equal("fast", (string)build.BuildArgs.AdditionalData["MODE"]);
        Assert.Equal([Lab.SharedNodes[0].Name], (List<string>)runtime.Nodes);
        Assert.Equal(2, (int)runtime.ReplicasPerNode);
        Assert.Equal(("GREETING", "hello", false), ((string)runtime.Environment[0].Name, (string)runtime.Environment[0].Value, (bool)runtime.Environment[0].Secret));
        Assert.Equal(("PORT", 31000, 31099), ((string)runtime.Ports[0].Name, (int)runtime.Ports[0].RangeStart, (int)runtime.Ports[0].RangeEnd));
        Assert.Equal(("Http", "/health", "PORT", 3), (runtime.Health.ToString(), (string)runtime.HttpProbe.Path, (string)runtime.HttpProbe.PortName, (int)runtime.HttpProbe.TimeoutSeconds));
        Assert.Equal(("SIGQUIT", 20, 64L, 0.5, 1), ((string)runtime.StopSignal, (int)runtime.StopTimeoutSeconds, (long)runtime.MemoryMb, (double)runtime.Cpus, (int)runtime.DrainDelaySeconds));
        Assert.Equal("shop", (string)runtime.Labels.AdditionalData["team"]);
        Assert.Equal((2, "StartFirst", 5, "Pause"), ((int)runtime.Update.Parallelism, runtime.Update.Order.ToString(), (int)runtime.Update.MonitorSeconds, runtime.Update.FailureAction.ToString()));
        // What was read, sent back as the client holds it (read-only fields included), is the same definition.
        Assert.False((bool)trip.Resaved.Changed);
        Assert.Equal(1, (int)trip.Resaved.Service.Revision);
        // A refusal reaches the client as the documented problem, naming the field.
        Assert.Equal(["registry"], (IReadOnlyList<string>)trip.RefusedFields);
    }
}
