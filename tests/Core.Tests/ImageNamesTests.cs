using ControlPanel.Core.Registries;

namespace ControlPanel.Core.Tests;

public sealed class ImageNamesTests
{
    [Theory]
    [InlineData("127.0.0.1:5055/lab/web@sha256:d35a23e0b88858b0c33dadb13051f44ad280b1eae3424b376dd43b1aa6ccfff1", "127.0.0.1:5055/lab/web@sha256:d35a23e0b888")]
    [InlineData("lab/web:1", "lab/web:1")]
    [InlineData("lab/web@sha256:d35a23e0b888", "lab/web@sha256:d35a23e0b888")]
    [InlineData("nginx", "nginx")]
    public void ForDisplay_CutsADigestTo12Digits_AndLeavesTagsAlone(string reference, string shown) =>
        Assert.Equal(shown, ImageNames.ForDisplay(reference));
}
