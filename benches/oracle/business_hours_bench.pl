#!/usr/bin/perl
# Times Business::Hours on the cases of benches/calendar.rs; prints "<case> <mode> <µs per op>".
use strict;
use warnings;
use POSIX qw(tzset);
use Time::HiRes qw(time);
use Business::Hours;

$ENV{TZ} = 'Europe/Madrid';
tzset();
my %hours = map {
    $_ => { Name => $_, Start => '09:00', End => '18:00', Breaks => [ { Start => '14:00', End => '15:00' } ] }
} 1 .. 5;
my @holidays = qw(2026-03-19 2026-04-02 2026-04-03 2026-05-01 05-15 08-15 10-12 11-01 12-08 12-25 01-01 01-06);
my $start = 1773651600;    # Monday 2026-03-16 10:00 Madrid
my %cases = (add_4h => 4 * 3600, add_5_days => 5 * 8 * 3600, add_30_days => 30 * 8 * 3600);
sub calendar {
    my $h = Business::Hours->new;
    $h->business_hours(%hours);
    $h->holidays(@holidays);
    return $h;
}
# "reused": one calendar for every addition, as the Rust side keeps its Calendar;
# "built": the calendar constructed for each addition (both sides, second row).
my $reused = calendar();
for my $name (sort keys %cases) {
    for my $mode (qw(reused built)) {
        my $n = 0;
        my $t0 = time;
        while (time - $t0 < 2) {
            my $h = $mode eq 'reused' ? $reused : calendar();
            my $r = $h->add_seconds($start, $cases{$name});
            $n++;
        }
        printf "%s %s %.1f\n", $name, $mode, (time - $t0) / $n * 1e6;
    }
}
