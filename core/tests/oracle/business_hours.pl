#!/usr/bin/perl
# The independent implementation the calendar is tested against: Business::Hours (Best
# Practical, used by RT's SLA extension; Debian package libbusiness-hours-perl).
# Input: one JSON case per line. Output: "<add_seconds result> <between result>" per line.
use strict;
use warnings;
use JSON::PP;
use POSIX qw(tzset);
use Business::Hours;

$| = 1;
while (my $line = <STDIN>) {
    my $c = decode_json($line);
    $ENV{TZ} = $c->{tz};
    tzset();
    my %hours = map { $_ => $c->{hours}{$_} } keys %{ $c->{hours} };
    my $add = Business::Hours->new;
    $add->business_hours(%hours);
    $add->holidays(@{ $c->{holidays} });
    my $sum = $add->add_seconds($c->{start}, $c->{seconds});
    my $between = Business::Hours->new;
    $between->business_hours(%hours);
    $between->holidays(@{ $c->{holidays} });
    # Business::Hours counts whole seconds in [start, end], both included.
    my $count = $between->between($c->{start}, $c->{end} - 1);
    print "$sum $count\n";
}
