using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Probe;

/// <summary>One 7.3 s stereo tone per test format and a mono 22.05 kHz one, synthesised once for the probe tests.</summary>
public sealed class ProbeFixture : IDisposable
{
    public TempFolder Folder { get; } = new();
    public IReadOnlyDictionary<string, string> Files { get; }

    public ProbeFixture()
    {
        var files = new Dictionary<string, string>();
        Parallel.ForEach(AudioFactory.Formats.Keys, format =>
        {
            var path = AudioFactory.Tone(Folder.File($"tone.{format}"), format, 7.3);
            lock (files) files[format] = path;
        });
        files["mono22k.mp3"] = AudioFactory.Tone(Folder.File("mono22k.cbr.mp3"), "cbr.mp3", 5.0, sampleRateHz: 22050, channels: 1);
        Files = files;
    }

    public void Dispose() => Folder.Dispose();
}
