using ControlPanel.Web.Components.Resources;

namespace ControlPanel.Web.Tests.Resources;

public sealed class ResourceFormatTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(-5, "0 B")]
    [InlineData(512, "512 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(10 * 1024 + 512, "10.5 KiB")]
    [InlineData(120L * 1024 * 1024, "120 MiB")]
    [InlineData(3.25 * 1024 * 1024 * 1024, "3.25 GiB")]
    public void Bytes_UsesBinaryUnitsWithAtMostThreeSignificantDigits(double bytes, string expected) =>
        Assert.Equal(expected, ResourceFormat.Bytes(bytes));

    [Fact]
    public void Rate_IsBytesPerSecond() => Assert.Equal("1.5 KiB/s", ResourceFormat.Rate(1536));

    [Theory]
    [InlineData(0, "0 %")]
    [InlineData(double.NaN, "0 %")]
    [InlineData(0.44, "0.4 %")]
    [InlineData(12.4, "12 %")]
    [InlineData(250, "250 %")]
    public void Percent_KeepsOneDecimalBelowTen(double percent, string expected) =>
        Assert.Equal(expected, ResourceFormat.Percent(percent));

    [Fact]
    public void Memory_WithALimit_SaysHowMuchOfItIsUsed() =>
        Assert.Equal("120 MiB of 256 MiB (47 %)", ResourceFormat.Memory(120L << 20, 256L << 20));

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    public void Memory_WithoutALimit_IsTheAmountUsed(long? limit) =>
        Assert.Equal("120 MiB", ResourceFormat.Memory(120L << 20, limit));

    [Theory]
    [InlineData(40, "40 MiB")]
    [InlineData(1536, "1.5 GiB")]
    public void MebibytesAxis_SwitchesToGibibytes(double mebibytes, string expected) =>
        Assert.Equal(expected, ResourceFormat.MebibytesAxis(mebibytes));
}
