using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>The audio files of a bench folder, probed (untimed set-up shared by the benches).</summary>
public static class BenchLibrary
{
    public static List<ProbedTrack> Probe(string folder)
    {
        var prober = new AudioProber(new FfprobeReader());
        var tracks = new FolderCatalog(folder, FolderCatalog.DefaultExtensions).ReadTracks()
            .Select(t => new ProbedTrack(t, FileStamp.Of(t.Path), prober.Probe(t.Path), TrackStatus.Ok, null, false, default, 0))
            .Where(t => t.Properties is not null).ToList();
        return tracks.Count > 0 ? tracks : throw new CatalogException($"No readable audio files under {folder}.");
    }
}
