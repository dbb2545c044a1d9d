using DnsClient;

namespace Mailroom.Core.Presets;

/// <summary>Looks up the MX hosts of a domain (injectable so tests can say where a domain's mail goes).</summary>
public interface IMxResolver
{
    /// <summary>The MX host names of <paramref name="domain"/>, most preferred first; empty when it has none or DNS fails.</summary>
    Task<IReadOnlyList<string>> ResolveMxAsync(string domain, CancellationToken cancellationToken);
}

/// <summary>MX lookups through the system's DNS servers (DnsClient), bounded by a timeout.</summary>
/// <param name="timeout">How long one query may take.</param>
public sealed class DnsMxResolver(TimeSpan timeout) : IMxResolver
{
    private readonly LookupClient _client = new(new LookupClientOptions { Timeout = timeout, Retries = 1, UseCache = true });

    /// <summary>A resolver waiting at most five seconds per query.</summary>
    public DnsMxResolver() : this(TimeSpan.FromSeconds(5))
    {
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ResolveMxAsync(string domain, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await _client.QueryAsync(domain, QueryType.MX, cancellationToken: cancellationToken);
            return answer.Answers.MxRecords()
                .OrderBy(record => record.Preference)
                .Select(record => record.Exchange.Value.TrimEnd('.'))
                .ToList();
        }
        catch (DnsResponseException)
        {
            return []; // no DNS here, or the domain has none: the hint is only a hint
        }
    }
}
